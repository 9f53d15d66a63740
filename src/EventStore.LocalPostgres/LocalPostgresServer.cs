using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventStore.LocalPostgres;

/// <summary>
/// A PostgreSQL server on 127.0.0.1 over a local data directory, started with the installed server binaries:
/// initialised on first start, reused afterwards, stopped (pg_ctl stop -m fast) on dispose.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable, IDisposable
{
    private readonly PostgresCluster cluster;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private Task? stopping;

    private LocalPostgresServer(PostgresCluster cluster, ILogger logger, int port, string connectionString)
    {
        this.cluster = cluster;
        this.logger = logger;
        Port = port;
        ConnectionString = connectionString;
    }

    /// <summary>Npgsql connection string to the application database; it holds the password, so never log it.</summary>
    public string ConnectionString { get; }

    public int Port { get; }

    public string DataDirectory => cluster.Data.FullPath;

    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, ILogger logger, CancellationToken ct = default)
    {
        var binDirectory = PostgresBinaries.Find(options.BinDirectory) ?? throw LocalPostgresException.BinariesNotFound(options.BinDirectory);
        var account = ServerAccount.Detect();
        var placement = DataDirectoryPlacement.Choose(
            options.DataDirectory, options.DefaultDataDirectory, options.FallbackRoot, account.UserName, ServerAccount.OthersCanEnter);
        var data = new PostgresDataDirectory(placement.FullPath);
        CreateParent(data.FullPath);
        if (placement.InsteadOf is not null)
        {
            logger.LogWarning(
                "The PostgreSQL account '{OsUser}' cannot enter {BlockedFolder} on the way to the default data directory " +
                "{DefaultDataDirectory}, so the data directory is {DataDirectory} (the same on every run from this folder; " +
                "set EmbeddedPostgres:DataDirectory to choose another)",
                account.UserName, placement.BlockedFolder, placement.InsteadOf, placement.FullPath);
        }

        account.EnsureTraversable(data.FullPath);
        var cluster = new PostgresCluster(binDirectory, account, data);

        PostgresCredentials credentials;
        if (data.IsInitialised)
        {
            credentials = data.ReadCredentials(options.Username);
        }
        else
        {
            data.EnsureEmptyOrMissing();
            logger.LogInformation(
                "Initialising PostgreSQL data directory {DataDirectory} with {BinDirectory} (tools run as {OsUser})",
                data.FullPath, binDirectory, account.UserName ?? Environment.UserName);
            credentials = PostgresCredentials.Generate(options.Username);
            await cluster.InitialiseAsync(credentials, ct);
        }

        await account.TakeOwnershipAsync(data.FullPath, ct);

        // A server still running on this data directory is normally an orphan of an API process that was
        // killed (pg_ctl detaches the postmaster, so it outlives us). Its port and settings are unknown or
        // stale, so stop it and start afresh rather than fail on the data directory lock.
        if (await cluster.IsRunningAsync(ct))
        {
            logger.LogWarning("A PostgreSQL server was already running on {DataDirectory}; stopping it to restart it", data.FullPath);
            await cluster.StopAsync(ct);
        }

        var port = options.Port ?? FreeLoopbackPort();
        await cluster.StartAsync(port, ct);
        var server = new LocalPostgresServer(cluster, logger, port, ApplicationDatabase.ConnectionString(port, options.Database, credentials));
        try
        {
            await ApplicationDatabase.EnsureExistsAsync(ApplicationDatabase.ConnectionString(port, "postgres", credentials), options.Database, ct);
        }
        catch (Exception ex)
        {
            await server.StopQuietlyAsync();
            if (ex is NpgsqlException)
            {
                throw LocalPostgresException.Failed(
                    $"PostgreSQL started on 127.0.0.1:{port}, but the database '{options.Database}' could not be checked or created: {ex.Message}",
                    data.LogTail(), ex);
            }

            throw;
        }

        logger.LogInformation(
            "PostgreSQL {BinDirectory} listening on 127.0.0.1:{Port}, data directory {DataDirectory}, database {Database}",
            binDirectory, port, data.FullPath, options.Database);
        return server;
    }

    /// <summary>Stops the server (pg_ctl stop -m fast); later and concurrent calls share the first stop.</summary>
    public Task StopAsync()
    {
        lock (gate)
        {
            return stopping ??= StopCoreAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private async Task StopCoreAsync()
    {
        if (await cluster.StopAsync(CancellationToken.None))
        {
            logger.LogInformation("Stopped PostgreSQL on 127.0.0.1:{Port}, data directory {DataDirectory}", Port, DataDirectory);
        }
    }

    private async Task StopQuietlyAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not stop PostgreSQL on {DataDirectory} after a failed start", DataDirectory);
        }
    }

    /// <summary>
    /// Folders the app creates on the way get mode 0755 whatever the umask: the server's account must pass through them,
    /// and nobody else may write there.
    /// </summary>
    private static void CreateParent(string dataDirectory)
    {
        var parent = Path.GetDirectoryName(dataDirectory)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(parent);
            return;
        }

        var missing = new Stack<string>();
        for (var folder = parent; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }

        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var folder in missing)
        {
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, mode);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
