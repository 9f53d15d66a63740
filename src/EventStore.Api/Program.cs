using EventStore.Api.Assistant;
using EventStore.Api.Auditing;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL;
using EventStore.Api.GraphQL.Transport.WebSockets;
using EventStore.Api.Health;
using EventStore.Api.Hosting;
using EventStore.Api.Hosting.Postgres;
using EventStore.Api.MarketData;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.AddEventStore();
builder.Services.AddEventStoreAuth();
builder.Services.AddEventStoreGraphQL();
builder.Services.AddGraphQLWebSockets();
builder.Services.AddEventStoreHealth();
builder.Services.AddMarketData(builder.Configuration);
builder.Services.AddAuditLedger(builder.Configuration);
builder.Services.AddAssistant(builder.Configuration);

var app = builder.Build();
try
{
    // Resolve what start-up depends on first, so a missing PostgreSQL or a bad setting stops the app with advice
    // instead of a stack trace (or, worse, an app that starts and then fails every request).
    app.Services.GetRequiredService<PostgresConnectionSource>();
    app.Services.GetRequiredService<SigningKeyProvider>();
}
catch (Exception e) when (e is LocalPostgresException or OptionsValidationException)
{
    await Console.Error.WriteLineAsync($"EventStore cannot start: {e.Message}");
    return 1;
}

app.UseAuthentication();
app.UseWebSockets();
app.MapEventStoreHealth();
app.MapEventStoreGraphQL();
app.MapAuditExport();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the integration tests' host.</summary>
public partial class Program;
