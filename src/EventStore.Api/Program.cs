using EventStore.Api.Analytics;
using EventStore.Api.Assistant;
using EventStore.Api.Auditing;
using EventStore.Api.Auth;
using EventStore.Api.Database;
using EventStore.Api.Files;
using EventStore.Api.GraphQL;
using EventStore.Api.GraphQL.Ide;
using EventStore.Api.Health;
using EventStore.Api.Hosting;
using EventStore.Api.Integration;
using EventStore.Api.Logging;
using EventStore.Api.MarketData;
using EventStore.Api.Notifications;
using EventStore.Api.Reconciliation;
using EventStore.Api.Search;
using EventStore.Api.Telemetry;
using EventStore.Domain.Privacy;
using EventStore.LocalPostgres;
using JasperFx;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
// JasperFx command line: `dotnet run -- projections --rebuild UserProfile` (docs/operations.md); no arguments = run.
builder.Host.ApplyJasperFxExtensions();
WebApplication? app = null;
try
{
    // Read while the host is built (EventStore:NodeMode and friends choose the daemon and Wolverine's durability).
    builder.AddEventStoreTelemetry();
    builder.Services.AddClientMistakeLogging();
    builder.AddEventStore();
    builder.AddIntegrationEvents();
    builder.Services.AddEventStoreAuth();
    builder.Services.AddEventStoreGraphQL(builder.Configuration);
    builder.Services.AddEventStoreHealth();
    builder.Services.AddMarketData(builder.Configuration);
    builder.Services.AddAuditLedger(builder.Configuration);
    builder.Services.AddNotificationChannels(builder.Configuration);
    builder.Services.AddAssistant(builder.Configuration);
    builder.Services.AddSearch(builder.Configuration);
    builder.Services.AddAnalytics();
    builder.Services.AddReconciliation();
    builder.Services.AddFiles();

    app = builder.Build();

    // Resolve what start-up depends on first, so a missing PostgreSQL or a bad setting stops the app with advice
    // instead of a stack trace (or, worse, an app that starts and then fails every request).
    // The serving role is provisioned through the owner connection here, so a role problem stops the app with advice.
    _ = app.Services.GetRequiredService<PostgresConnectionSource>().ConnectionString;
    app.Services.GetRequiredService<SigningKeyProvider>();
    app.Services.GetRequiredService<PersonalDataProtector>();
    app.Services.GetRequiredService<EventStore.Projections.Analytics.AnalyticsPseudonyms>();
    // Elasticsearch, when configured, must be version 9 or newer (docs/search.md).
    if (app.Services.GetService<EventStore.Api.Search.Elasticsearch.ElasticsearchIndexSetup>() is { } elasticsearch)
    {
        await elasticsearch.PrepareAsync(CancellationToken.None);
    }
}
catch (Exception e) when (e is LocalPostgresException or OptionsValidationException or DatabaseRoleException or Npgsql.NpgsqlException)
{
    await Console.Error.WriteLineAsync($"EventStore cannot start: {e.Message}");
    await StopChildrenAsync(app);
    return 1;
}
catch
{
    await StopChildrenAsync(app);
    throw;
}

app.UseCors();
app.UseGraphiQLAssets(app.Environment);
app.UseMiddleware<EventStore.Api.GraphQL.Errors.DatabaseOutageMiddleware>(); // 503 + Retry-After, not 500, while PostgreSQL restarts
app.UseAuthentication();
app.UseWebSockets();
app.MapEventStoreHealth();
app.MapEventStoreMetrics();
app.MapEventStoreGraphQL();
app.MapAuditExport();
app.MapFiles();
try
{
    return await app.RunJasperFxCommands(args);
}
finally
{
    // A start that fails later (a hosted service, ValidateOnStart) must not leave the embedded PostgreSQL running either.
    await StopChildrenAsync(app);
}

// Disposing the services stops every child process they started (the embedded PostgreSQL: PostgresConnectionSource).
static async Task StopChildrenAsync(WebApplication? app)
{
    if (app is not null)
    {
        await app.DisposeAsync();
    }
}

/// <summary>Entry point, visible to the integration tests' host.</summary>
public partial class Program;
