using Npgsql;

namespace EventStore.Api.Database;

/// <summary>
/// `eventstore_admin`: the owner's own schema, out of the serving role's reach (no USAGE for anyone but the owner): the
/// serving role's generated password and the log of maintenance-mode changes to the event log.
/// </summary>
internal static class AdminSchema
{
    public const string Name = "eventstore_admin";
    public const string ServingCredentials = Name + ".serving_credentials";
    public const string MaintenanceLog = Name + ".maintenance_log";

    /// <summary>Serialises role provisioning and the owner's start-up pass across nodes ("es_roles" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x65735f726f6c6573;

    private const string Ddl = $"""
        create schema if not exists {Name};
        revoke all on schema {Name} from public;
        create table if not exists {ServingCredentials} (
            role       text primary key,
            password   text not null,
            created_at timestamptz not null default now()
        );
        """;

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Ddl, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Session-level lock on <see cref="AdvisoryLockKey"/>; released by <see cref="UnlockAsync"/> or when the connection closes.</summary>
    public static async Task LockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select pg_advisory_lock({AdvisoryLockKey})", connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task UnlockAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"select pg_advisory_unlock({AdvisoryLockKey})", connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
