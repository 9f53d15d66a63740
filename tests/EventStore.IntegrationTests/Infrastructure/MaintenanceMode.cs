using EventStore.Api.Database;
using Marten;
using Marten.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>
/// What tests do to the event log that the app itself never may: emptying it between tests, or altering it to prove the
/// hash chain notices. The serving role cannot; the owner can only with the maintenance switch on (docs/operations.md#the-maintenance-switch),
/// which these helpers turn on, exactly as an operator would.
/// </summary>
public static class MaintenanceMode
{
    public const string Setting = "eventstore.maintenance";

    /// <summary>
    /// One pooled maintenance connection source per host, kept for the host's life: a fresh data source loads PostgreSQL's
    /// type catalogue again on its first connection, which is slow on a loaded machine.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IHost, MartenDatabase> ResetDatabases = new();

    /// <summary>
    /// Marten's ResetAllData (every document and event, the sequence restarted, the daemon paused meanwhile), run as the
    /// owner with the switch on for the whole session.
    /// </summary>
    public static async Task ResetEventStoreAsync(this IHost host)
    {
        var coordinator = host.Services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        if (coordinator is not null)
        {
            await coordinator.PauseAsync();
        }

        var database = ResetDatabases.GetValue(host, h => new MartenDatabase(
            ((DocumentStore)h.Services.GetRequiredService<IDocumentStore>()).Options,
            NpgsqlDataSource.Create(SessionConnectionString(h.Services.GetRequiredService<PostgresConnectionSource>().OwnerConnectionString,
                "integration-test-reset")),
            "maintenance"));
        // The reset truncates table after table while the app's background writers (session stamps, Wolverine's
        // durability agent, the market-data pump) may hold locks on some of them: PostgreSQL can pick the reset as a
        // deadlock victim (40P01). Truncating is idempotent, so try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await database.DeleteAllDocumentsAsync();
                await database.DeleteAllEventDataAsync();
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
            }
        }

        if (coordinator is not null)
        {
            await coordinator.ResumeAsync();
        }
    }

    /// <summary>Runs <paramref name="sql"/> in one transaction with the switch set to <paramref name="reason"/> for that transaction.</summary>
    public static async Task ExecuteAsync(string ownerConnectionString, string reason, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ownerConnectionString) { ApplicationName = "integration-test maintenance" }.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var on = new NpgsqlCommand($"select set_config('{Setting}', @reason, true)", connection, transaction))
        {
            on.Parameters.AddWithValue("reason", reason);
            await on.ExecuteNonQueryAsync();
        }

        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>A connection string whose sessions start with the switch on (libpq's `options`, as `psql "options=-c..."` does).</summary>
    public static string SessionConnectionString(string ownerConnectionString, string reasonWithoutSpaces) =>
        new NpgsqlConnectionStringBuilder(ownerConnectionString)
        {
            Options = $"-c {Setting}={reasonWithoutSpaces}",
            Pooling = true,
            // Not the app's name: ServingRoleTests checks that every session named EventStore… is the serving role's.
            ApplicationName = "integration-test maintenance",
        }.ConnectionString;
}
