using EventStore.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>
/// The one PostgreSQL server of a test run, found in this order:
/// 1. `EVENTSTORE_TEST_POSTGRES`: a connection string to an existing server;
/// 2. Testcontainers, when Docker is reachable (image `EVENTSTORE_TEST_POSTGRES_IMAGE`, default a public postgres image);
/// 3. the local PostgreSQL binaries (the app's own embedded launcher, data in a temp folder);
/// else a failure that says what to install or set. `EVENTSTORE_TEST_POSTGRES_MODE` (connection, testcontainers,
/// local) forces one source with no fallback; CI forces testcontainers.
/// Each test collection gets its own database on this server (see <see cref="CreateDatabaseAsync"/>).
/// </summary>
public static class TestPostgres
{
    public const string DefaultImage = "postgres:17-alpine";

    private static readonly Lazy<Task<Server>> Instance = new(StartAsync);

    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var server = await Instance.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name, Pooling = true }.ToString();
    }

    /// <summary>Which source this run uses: printed by the fixture test so CI can prove the Testcontainers path.</summary>
    public static async Task<string> SourceAsync() => (await Instance.Value).Source;

    private sealed record Server(string AdminConnectionString, string Source, IAsyncDisposable? Owner);

    private static async Task<Server> StartAsync()
    {
        var mode = Environment.GetEnvironmentVariable("EVENTSTORE_TEST_POSTGRES_MODE")?.Trim().ToLowerInvariant();
        var configured = Environment.GetEnvironmentVariable("EVENTSTORE_TEST_POSTGRES");
        if (mode is null or "" or "connection" && !string.IsNullOrWhiteSpace(configured))
        {
            return new Server(configured, "connection", null);
        }

        if (mode == "connection")
        {
            throw new InvalidOperationException("EVENTSTORE_TEST_POSTGRES_MODE=connection but EVENTSTORE_TEST_POSTGRES is not set.");
        }

        Exception? dockerFailure = null;
        if (mode is null or "" or "testcontainers")
        {
            try
            {
                return await StartContainerAsync();
            }
            catch (Exception e) when (mode != "testcontainers")
            {
                dockerFailure = e; // no Docker, or no image: fall back to the local binaries
            }
        }

        if (mode is null or "" or "local")
        {
            return await StartLocalAsync(dockerFailure);
        }

        throw new InvalidOperationException($"Unknown EVENTSTORE_TEST_POSTGRES_MODE '{mode}': use connection, testcontainers or local.");
    }

    private static async Task<Server> StartContainerAsync()
    {
        var image = Environment.GetEnvironmentVariable("EVENTSTORE_TEST_POSTGRES_IMAGE") is { Length: > 0 } configured
            ? configured
            : DefaultImage;
        var container = new PostgreSqlBuilder(image)
            .WithDatabase("postgres")
            .WithUsername("postgres")
            .WithPassword(Convert.ToHexString(Guid.NewGuid().ToByteArray()))
            // Throwaway data: durability settings off make the suite faster; the app never runs like this.
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300")
            .Build();
        await container.StartAsync();
        RegisterShutdown(container);
        return new Server(container.GetConnectionString(), $"testcontainers ({image})", container);
    }

    private static async Task<Server> StartLocalAsync(Exception? dockerFailure)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eventstore-tests", $"pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var server = await LocalPostgresServer.StartAsync(
                new LocalPostgresOptions { DataDirectory = dataDirectory, Database = "postgres" }, NullLogger.Instance);
            RegisterShutdown(server, () => TryDelete(dataDirectory));
            return new Server(server.ConnectionString, "local binaries", server);
        }
        catch (LocalPostgresException e)
        {
            throw new InvalidOperationException(
                "Integration tests need PostgreSQL: set EVENTSTORE_TEST_POSTGRES to a connection string, or run Docker "
                + "(image EVENTSTORE_TEST_POSTGRES_IMAGE, default " + DefaultImage + "), or install the PostgreSQL server "
                + $"binaries (apt-get install postgresql). Docker: {dockerFailure?.Message ?? "not tried"}. Local: {e.Message}", e);
        }
    }

    private static void RegisterShutdown(IAsyncDisposable owner, Action? after = null) =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            owner.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(20));
            after?.Invoke();
        };

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
