using EventStore.Api.Hosting;
using Npgsql;

namespace EventStore.Api.Auditing;

/// <summary>
/// The ledger's own tables, next to Marten's in the event store schema but not Marten's: plain idempotent DDL, so Marten's
/// schema management (and ResetAllData) never touches the chain.
/// </summary>
internal static class LedgerSchema
{
    public const string Ledger = EventStoreSetup.SchemaName + ".audit_ledger";
    public const string Checkpoints = EventStoreSetup.SchemaName + ".audit_checkpoints";
    public const string Events = EventStoreSetup.SchemaName + ".mt_events";
    public const string Progression = EventStoreSetup.SchemaName + ".mt_event_progression";

    /// <summary>Serialises chain writers across nodes and processes ("audit" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x6175646974;

    public const string KindEvent = "event";
    public const string KindGap = "gap";

    private const string Ddl = $"""
        create schema if not exists {EventStoreSetup.SchemaName};
        create table if not exists {Ledger} (
            seq_id      bigint primary key,
            kind        text not null check (kind in ('{KindEvent}', '{KindGap}')),
            hash        bytea not null,
            prev_hash   bytea not null,
            computed_at timestamptz not null default now()
        );
        create table if not exists {Checkpoints} (
            seq_id     bigint primary key,
            head_hash  text not null,
            created_at timestamptz not null,
            signature  text not null
        );
        """;

    /// <summary>The canonical record's timestamp: UTC, microseconds, the text PostgreSQL itself produces.</summary>
    public const string TimestampSql = "to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

    public const string EventColumnsSql =
        $"e.id::text, e.stream_id::text, e.version, e.type, {TimestampSql}, e.data::text, e.correlation_id, e.causation_id, e.user_name, e.headers::text";

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"select pg_advisory_lock({AdvisoryLockKey}); {Ddl} select pg_advisory_unlock({AdvisoryLockKey});", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads the ten event columns of <see cref="EventColumnsSql"/> starting at <paramref name="first"/>.</summary>
    public static Audit.StoredEvent ReadEvent(NpgsqlDataReader reader, long sequence, int first) => new(
        sequence,
        reader.GetString(first),
        reader.GetString(first + 1),
        reader.GetInt64(first + 2),
        reader.GetString(first + 3),
        reader.GetString(first + 4),
        reader.IsDBNull(first + 5) ? null : reader.GetString(first + 5),
        reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
        reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
        reader.IsDBNull(first + 8) ? null : reader.GetString(first + 8),
        reader.IsDBNull(first + 9) ? null : reader.GetString(first + 9));
}
