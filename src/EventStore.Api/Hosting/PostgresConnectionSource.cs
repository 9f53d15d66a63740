using EventStore.Api.Hosting.Postgres;

namespace EventStore.Api.Hosting;

/// <summary>
/// Where the app's PostgreSQL is: `ConnectionStrings:Postgres` when set, else a private server started from the
/// local PostgreSQL binaries (data under `EmbeddedPostgres:DataDirectory`), stopped when the app stops.
/// </summary>
public sealed class PostgresConnectionSource : IDisposable
{
    private readonly LocalPostgresServer? _embedded;

    private PostgresConnectionSource(string connectionString, LocalPostgresServer? embedded)
    {
        ConnectionString = connectionString;
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    public bool IsEmbedded => _embedded is not null;

    public static PostgresConnectionSource Create(IConfiguration configuration, ILogger logger)
    {
        var configured = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresConnectionSource(configured, null);
        }

        var options = new LocalPostgresOptions
        {
            DataDirectory = configuration["EmbeddedPostgres:DataDirectory"] ?? Path.Combine(".data", "postgres"),
            BinDirectory = configuration["EmbeddedPostgres:BinDirectory"],
            Port = configuration.GetValue<int?>("EmbeddedPostgres:Port"),
            Database = configuration["EmbeddedPostgres:Database"] ?? "eventstore",
            Username = configuration["EmbeddedPostgres:Username"] ?? "eventstore",
        };
        logger.LogInformation("No ConnectionStrings:Postgres configured: starting the embedded PostgreSQL in {DataDirectory}",
            options.DataDirectory);

        // Start-up is synchronous on purpose: nothing can run before the database exists.
        var server = LocalPostgresServer.StartAsync(options, logger).GetAwaiter().GetResult();
        return new PostgresConnectionSource(server.ConnectionString, server);
    }

    public void Dispose() => _embedded?.Dispose();
}
