using System.Globalization;
using EventStore.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventStore.Bench.Live;

/// <summary>
/// The benches' PostgreSQL: the configured server (`--postgres`), or one started from the local binaries with the app's
/// own launcher, its data in a throwaway folder under the work directory. Also the app settings every bench starts with.
/// </summary>
public static class BenchPostgres
{
    public static async Task<(string ConnectionString, LocalPostgresServer? Server)> StartAsync(string? configured, string workDirectory)
    {
        if (configured is not null)
        {
            return (configured, null);
        }

        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = Path.Combine(workDirectory, "postgres") },
            NullLogger.Instance);
        Console.WriteLine($"PostgreSQL on 127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}");
        return (server.ConnectionString, server);
    }

    /// <summary>Default settings, a bench-only signing key and admin, market data off, logging at Warning.</summary>
    public static Dictionary<string, string> AppSettings(string connectionString, string workDirectory) => new()
    {
        ["ConnectionStrings:Postgres"] = connectionString,
        ["Jwt:SigningKey"] = "bench-only-signing-key-0123456789abcdef",
        ["Bootstrap:AdminUsername"] = "bench-admin",
        ["Bootstrap:AdminPassword"] = GraphQLHttp.Password,
        ["Audit:DevelopmentKeyFile"] = Path.Combine(workDirectory, "audit.pem"),
        ["MarketData:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
