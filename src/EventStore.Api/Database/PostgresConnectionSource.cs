using EventStore.LocalPostgres;
using Npgsql;

namespace EventStore.Api.Database;

/// <summary>
/// Where the app's PostgreSQL is, and as whom it connects. The owner connection is `ConnectionStrings:Postgres` when set,
/// else the superuser of a private server started from the local PostgreSQL binaries (data under
/// `EmbeddedPostgres:DataDirectory`, stopped when the app stops); it runs the schema changes and grants at start-up only
/// (`Hosting/Roles/OwnerSchemaSetup`). Everything else, requests and background work, connects as the least-privilege
/// serving role (<see cref="ConnectionString"/>): `ConnectionStrings:PostgresServing` as given, or a login role the app
/// provisions through the owner connection on first use (docs/operations.md#database-roles).
/// </summary>
public sealed class PostgresConnectionSource : IDisposable
{
    /// <summary>`Application Name` of the serving connections (unless the connection string sets one): pg_stat_activity shows it.</summary>
    public const string ServingApplicationName = "EventStore";

    public const string OwnerApplicationName = "EventStore owner";

    private readonly LocalPostgresServer? _embedded;
    private readonly ServingRoleSettings _serving;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private string? _servingConnectionString;

    private PostgresConnectionSource(string ownerConnectionString, LocalPostgresServer? embedded, ServingRoleSettings serving, ILogger logger)
    {
        OwnerConnectionString = ownerConnectionString;
        _embedded = embedded;
        _serving = serving;
        _logger = logger;
        if (!serving.Provisioned)
        {
            _servingConnectionString = Tuned(WithApplicationName(serving.ServingConnectionString!, ServingApplicationName, pooling: null));
        }
    }

    /// <summary>The owner's connection string, for schema changes; unpooled, so the app keeps no owner connection open.</summary>
    public string OwnerConnectionString { get; }

    /// <summary>The serving role's connection string (it holds a password, so never log it); provisions the role on first use.</summary>
    public string ConnectionString
    {
        get
        {
            lock (_gate)
            {
                // A failure (PostgreSQL not reachable yet) is not cached: the next use tries again.
                return _servingConnectionString ??= ProvisionServingRole();
            }
        }
    }

    /// <summary>The role requests are served as.</summary>
    public string ServingRole => _serving.Role;

    public bool IsEmbedded => _embedded is not null;

    public static PostgresConnectionSource Create(IConfiguration configuration, ILogger logger)
    {
        var configured = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresConnectionSource(Owner(configured), null, ServingRoleSettings.Read(configuration, configured), logger);
        }

        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(ServingRoleSettings.ServingConnectionStringName)))
        {
            throw new DatabaseRoleException(
                $"ConnectionStrings:{ServingRoleSettings.ServingConnectionStringName} is set but ConnectionStrings:Postgres is not: the app needs " +
                "the owner connection too, to keep the schema up to date and grant the serving role its privileges.");
        }

        var options = new LocalPostgresOptions
        {
            DataDirectory = configuration["EmbeddedPostgres:DataDirectory"] is { Length: > 0 } dataDirectory ? dataDirectory : null,
            BinDirectory = configuration["EmbeddedPostgres:BinDirectory"],
            Port = configuration.GetValue<int?>("EmbeddedPostgres:Port"),
            Database = configuration["EmbeddedPostgres:Database"] ?? "eventstore",
            Username = configuration["EmbeddedPostgres:Username"] ?? "eventstore",
        };
        logger.LogInformation("No ConnectionStrings:Postgres configured: starting the embedded PostgreSQL in {DataDirectory}",
            options.DataDirectory ?? options.DefaultDataDirectory);

        // Start-up is synchronous on purpose: nothing can run before the database exists.
        var server = LocalPostgresServer.StartAsync(options, logger).GetAwaiter().GetResult();
        return new PostgresConnectionSource(Owner(server.ConnectionString), server, ServingRoleSettings.Read(configuration, server.ConnectionString), logger);
    }

    public void Dispose() => _embedded?.Dispose();

    private string ProvisionServingRole()
    {
        // Synchronous for the same reason as the embedded start: the first user is Marten's store, built synchronously.
        var password = ServingRoleProvisioner.ProvisionAsync(OwnerConnectionString, _serving, _logger, CancellationToken.None).GetAwaiter().GetResult();
        var builder = new NpgsqlConnectionStringBuilder(OwnerConnectionString)
        {
            Username = _serving.Role,
            Password = password,
            Pooling = true,
            ApplicationName = null,
        };
        return Tuned(WithApplicationName(builder.ConnectionString, ServingApplicationName, pooling: null));
    }

    /// <summary>Statements prepared automatically per connection (`Max Auto Prepare`) unless the connection string sets it.</summary>
    public const int DefaultMaxAutoPrepare = 128;

    /// <summary>
    /// The serving pool's settings for the command path (docs/performance.md#connections), each only when the connection
    /// string leaves it at Npgsql's default: `No Reset On Close` (no DISCARD ALL each time a connection goes back to the
    /// pool; it threw away the prepared statements and cost a round trip; nothing the app does on a pooled connection
    /// leaves session state behind, see that page) and `Max Auto Prepare` (Marten's and Wolverine's statements are
    /// prepared after 5 uses and then sent as Bind/Execute only).
    /// </summary>
    private static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Reset", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    private static string Owner(string connectionString) => WithApplicationName(connectionString, OwnerApplicationName, pooling: false);

    private static string WithApplicationName(string connectionString, string applicationName, bool? pooling)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName) || builder.ApplicationName == OwnerApplicationName)
        {
            builder.ApplicationName = applicationName;
        }

        if (pooling is { } value)
        {
            builder.Pooling = value;
        }

        return builder.ConnectionString;
    }
}
