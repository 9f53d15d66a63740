using System.Globalization;
using EventStore.Api.Database;
using EventStore.Audit;
using Npgsql;

namespace EventStore.Api.Auditing;

/// <summary>
/// The ledger's own tables, next to Marten's in the event store schema but not Marten's: plain idempotent DDL, so Marten's
/// schema management (and ResetAllData) never touches the chain. The owner runs it at start-up (OwnerSchemaSetup); the
/// serving role may only read and append to these tables.
/// </summary>
internal static class LedgerSchema
{
    public const string Ledger = StoreSchema.Name + ".audit_ledger";
    public const string Checkpoints = StoreSchema.Name + ".audit_checkpoints";
    public const string Events = StoreSchema.Name + ".mt_events";
    public const string Progression = StoreSchema.Name + ".mt_event_progression";

    /// <summary>Serialises chain writers across nodes and processes ("audit" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x6175646974;

    public const string KindEvent = "event";
    public const string KindGap = "gap";

    private const string Ddl = $"""
        create schema if not exists {StoreSchema.Name};
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

    /// <summary>
    /// The ten columns <see cref="ReadEvent"/> reads, as stored: text and jsonb arrive as their UTF-8 bytes (jsonb after a
    /// version byte), uuids and the timestamp as values formatted here exactly as PostgreSQL prints them.
    /// </summary>
    public const string EventColumnsSql =
        "e.id, e.stream_id, e.version, e.type, e.timestamp, e.data, e.correlation_id, e.causation_id, e.user_name, e.headers";

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"select pg_advisory_lock({AdvisoryLockKey}); {Ddl} select pg_advisory_unlock({AdvisoryLockKey});", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads the ten event columns of <see cref="EventColumnsSql"/> starting at <paramref name="first"/> into <paramref name="row"/>.</summary>
    public static void ReadEvent(NpgsqlDataReader reader, long sequence, int first, EventRow row)
    {
        row.Clear();
        row.Sequence = sequence;
        FormatUuid(reader, first, row, EventRow.Field.Id);
        FormatUuid(reader, first + 1, row, EventRow.Field.StreamId);
        row.Version = reader.GetInt64(first + 2);
        ReadText(reader, first + 3, row, EventRow.Field.Type, jsonb: false);
        // UTC, microseconds, as to_char(timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') prints it.
        var timestamp = reader.GetFieldValue<DateTime>(first + 4);
        timestamp.TryFormat(row.Reserve(EventRow.Field.Timestamp, 27), out _, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        ReadText(reader, first + 5, row, EventRow.Field.Data, jsonb: true);
        ReadText(reader, first + 6, row, EventRow.Field.CorrelationId, jsonb: false);
        ReadText(reader, first + 7, row, EventRow.Field.CausationId, jsonb: false);
        ReadText(reader, first + 8, row, EventRow.Field.Actor, jsonb: false);
        ReadText(reader, first + 9, row, EventRow.Field.Headers, jsonb: true);
    }

    private static void FormatUuid(NpgsqlDataReader reader, int ordinal, EventRow row, EventRow.Field field) =>
        reader.GetGuid(ordinal).TryFormat(row.Reserve(field, 36), out _); // "D": lowercase with hyphens, as uuid::text

    /// <summary>The column's bytes as sent (UTF-8 text; jsonb: a version byte, then its text), without a string in between.</summary>
    private static void ReadText(NpgsqlDataReader reader, int ordinal, EventRow row, EventRow.Field field, bool jsonb)
    {
        if (reader.IsDBNull(ordinal))
        {
            return;
        }

        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        var bytes = row.Reserve(field, length);
        reader.GetBytes(ordinal, 0, bytes.Array, bytes.Offset, length);
        if (jsonb)
        {
            if (length == 0 || bytes[0] != JsonbVersion)
            {
                throw new NotSupportedException($"Unknown jsonb binary format version in column {ordinal}.");
            }

            row.SkipStart(field, 1);
        }
    }

    private const byte JsonbVersion = 1;
}
