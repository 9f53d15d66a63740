using System.Buffers;
using EventStore.Api.Database;
using EventStore.Audit;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace EventStore.Api.Auditing;

/// <summary>
/// Extends the hash chain over the global event sequence, in order and with no holes: only up to Marten's high-water mark
/// (below it every sequence number is final: an event, a tombstone, or a number Marten skipped for good, chained as a gap).
/// One writer at a time across nodes (a PostgreSQL advisory lock); each batch is one transaction.
/// </summary>
public sealed class AuditLedger(
    PostgresConnectionSource postgres,
    AuditSigningKey signingKey,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditLedger> logger)
{
    internal string ConnectionString => postgres.ConnectionString;

    /// <summary>Chains everything up to the high-water mark; returns how many records (events and gaps) it added.</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        long added = 0;
        while (true)
        {
            var batch = await ChainBatchAsync(cancellationToken);
            added += batch;
            if (batch == 0)
            {
                return added;
            }
        }
    }

    /// <summary>Seals the chain's current head with a signed checkpoint now (null when the chain is empty).</summary>
    public async Task<Checkpoint?> CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);
        var (head, headHash) = await HeadAsync(connection, cancellationToken);
        var checkpoint = head == 0 ? null : await WriteCheckpointAsync(connection, head, headHash, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return checkpoint;
    }

    public async Task<Checkpoint?> LatestCheckpointAsync(long? atOrBefore, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select seq_id, head_hash, created_at, signature from {LedgerSchema.Checkpoints} where seq_id <= @at order by seq_id desc limit 1",
            connection);
        command.Parameters.AddWithValue("at", atOrBefore ?? long.MaxValue);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Checkpoint(reader.GetInt64(0), reader.GetString(1), Checkpoint.FormatTime(reader.GetFieldValue<DateTimeOffset>(2)), reader.GetString(3))
            : null;
    }

    private async Task<long> ChainBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);

        var (head, headHash) = await HeadAsync(connection, cancellationToken);
        var highWaterMark = await HighWaterMarkAsync(connection, cancellationToken);
        if (highWaterMark <= head)
        {
            await SealIfDueAsync(connection, head, headHash, final: true, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var upper = Math.Min(highWaterMark, head + settings.BatchSize);
        var rows = new List<(long Sequence, string Kind, byte[] Hash, byte[] Previous)>();
        var previous = headHash;
        var expected = head + 1;
        var stored = new EventRow();
        var canonical = new ArrayBufferWriter<byte>(1024);
        void Chain(long sequence, string kind, ReadOnlySpan<byte> canonical)
        {
            var hash = HashChain.Next(previous, canonical);
            rows.Add((sequence, kind, hash, previous));
            previous = hash;
        }

        await using (var command = new NpgsqlCommand(
            $"select e.seq_id, {LedgerSchema.EventColumnsSql} from {LedgerSchema.Events} e where e.seq_id > @head and e.seq_id <= @upper order by e.seq_id",
            connection))
        {
            command.Parameters.AddWithValue("head", head);
            command.Parameters.AddWithValue("upper", upper);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var sequence = reader.GetInt64(0);
                for (; expected < sequence; expected++)
                {
                    Chain(expected, LedgerSchema.KindGap, AuditRecord.Gap(expected));
                }

                LedgerSchema.ReadEvent(reader, sequence, 1, stored);
                canonical.ResetWrittenCount();
                AuditRecord.Write(canonical, stored);
                Chain(sequence, LedgerSchema.KindEvent, canonical.WrittenSpan);
                expected = sequence + 1;
            }
        }

        // Below the high-water mark a missing number is final: Marten skipped it (a rolled-back transaction past its
        // stale-gap timeout). Chaining it as a gap keeps "skipped" distinguishable from "deleted later".
        for (; expected <= upper; expected++)
        {
            Chain(expected, LedgerSchema.KindGap, AuditRecord.Gap(expected));
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            $"copy {LedgerSchema.Ledger} (seq_id, kind, hash, prev_hash) from stdin (format binary)", cancellationToken))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(row.Sequence, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(row.Kind, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.Hash, NpgsqlDbType.Bytea, cancellationToken);
                await importer.WriteAsync(row.Previous, NpgsqlDbType.Bytea, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await SealIfDueAsync(connection, upper, previous, final: upper == highWaterMark, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private async Task SealIfDueAsync(NpgsqlConnection connection, long head, byte[] headHash, bool final, CancellationToken cancellationToken)
    {
        if (head == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            $"select seq_id, created_at from {LedgerSchema.Checkpoints} order by seq_id desc limit 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (last, at) = await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1))
            : (0L, DateTimeOffset.MinValue);
        await reader.DisposeAsync();

        var settings = options.Value;
        var due = head - last >= settings.CheckpointEvery
                  || (final && head > last && time.GetUtcNow() - at >= settings.CheckpointInterval);
        if (due)
        {
            await WriteCheckpointAsync(connection, head, headHash, cancellationToken);
        }
    }

    /// <summary>
    /// Seals <paramref name="head"/>. A head sealed before (the periodic seal got there first) keeps its checkpoint: that
    /// stored one is returned, never a freshly signed one that was not stored.
    /// </summary>
    private async Task<Checkpoint> WriteCheckpointAsync(NpgsqlConnection connection, long head, byte[] headHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)); // PostgreSQL keeps microseconds: sign what is stored
        var checkpoint = Checkpoint.Sign(head, HashChain.ToHex(headHash), now, signingKey.Key);
        await using var command = new NpgsqlCommand(
            $"insert into {LedgerSchema.Checkpoints} (seq_id, head_hash, created_at, signature) values (@seq, @hash, @at, @sig) on conflict (seq_id) do nothing",
            connection);
        command.Parameters.AddWithValue("seq", head);
        command.Parameters.AddWithValue("hash", checkpoint.HeadHash);
        command.Parameters.AddWithValue("at", now);
        command.Parameters.AddWithValue("sig", checkpoint.Signature);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            await using var stored = new NpgsqlCommand(
                $"select head_hash, created_at, signature from {LedgerSchema.Checkpoints} where seq_id = @seq", connection);
            stored.Parameters.AddWithValue("seq", head);
            await using var reader = await stored.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new Checkpoint(head, reader.GetString(0), Checkpoint.FormatTime(reader.GetFieldValue<DateTimeOffset>(1)), reader.GetString(2));
        }

        logger.LogInformation("Audit checkpoint at sequence {Sequence}, head {Head}", head, checkpoint.HeadHash);
        return checkpoint;
    }

    private static async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"select pg_advisory_xact_lock({LedgerSchema.AdvisoryLockKey})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<(long Head, byte[] Hash)> HeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"select seq_id, hash from {LedgerSchema.Ledger} order by seq_id desc limit 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, HashChain.Genesis);
    }

    private static async Task<long> HighWaterMarkAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select coalesce((select last_seq_id from {LedgerSchema.Progression} where name = 'HighWaterMark'), 0)", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
