using EventStore.Api.Auth;
using EventStore.Api.GraphQL;
using EventStore.Api.Health;
using EventStore.Api.Hosting;
using EventStore.Api.Hosting.Postgres;

var builder = WebApplication.CreateBuilder(args);
builder.AddEventStore();
builder.Services.AddEventStoreAuth();
builder.Services.AddEventStoreGraphQL();
builder.Services.AddEventStoreHealth();

var app = builder.Build();
try
{
    // Resolve the database first, so a missing PostgreSQL stops the app with advice instead of a stack trace.
    app.Services.GetRequiredService<PostgresConnectionSource>();
}
catch (LocalPostgresException e)
{
    await Console.Error.WriteLineAsync($"EventStore cannot start: {e.Message}");
    return 1;
}

app.UseAuthentication();
app.MapEventStoreHealth();
app.MapEventStoreGraphQL();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the integration tests' host.</summary>
public partial class Program;
