using System.Buffers;
using EventStore.Audit;
using Npgsql;

namespace EventStore.Api.Auditing;

/// <summary>
/// Streams the chained part of the log as NDJSON (docs/compliance.md): keyset reads of `BatchSize` rows over the ledger,
/// left-joined to the events as they are now. Each line is written in place into the response from the row's raw bytes
/// (no strings, no per-line buffer) and the response is flushed every <see cref="FlushEvery"/> lines: memory stays flat
/// whatever the range. The ledger drives (it has a row for every sequence up to its head), so a deleted event leaves a
/// hole the verifier sees, and an event forged into a skipped number carries the gap's hash.
/// </summary>
internal static class AuditExport
{
    public const string ContentType = "application/x-ndjson";

    /// <summary>About 200 KB of lines: large writes to the socket, a small bound on what waits in the response pipe.</summary>
    private const int FlushEvery = 256;

    public static async Task WriteAsync(AuditLedger ledger, long fromSequence, long toSequence, int batchSize, IBufferWriter<byte> output,
        Func<CancellationToken, ValueTask> flushAsync, CancellationToken cancellationToken)
    {
        await ledger.EnsureSchemaAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // One snapshot for the whole export: batches see the same log even while it grows.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            select l.seq_id, l.kind, l.hash, l.prev_hash, e.seq_id is not null, {LedgerSchema.EventColumnsSql}
            from {LedgerSchema.Ledger} l left join {LedgerSchema.Events} e on e.seq_id = l.seq_id
            where l.seq_id > @after and l.seq_id <= @to
            order by l.seq_id
            limit @limit
            """, connection, transaction);
        var after = command.Parameters.AddWithValue("after", fromSequence - 1);
        command.Parameters.AddWithValue("to", toSequence);
        command.Parameters.AddWithValue("limit", batchSize);
        await command.PrepareAsync(cancellationToken);

        var row = new EventRow();
        var hash = new byte[HashChain.HashLength];
        var previous = new byte[HashChain.HashLength];
        var pending = 0;
        while (true)
        {
            var read = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    read++;
                    var sequence = reader.GetInt64(0);
                    after.Value = sequence;
                    reader.GetBytes(2, 0, hash, 0, HashChain.HashLength);
                    reader.GetBytes(3, 0, previous, 0, HashChain.HashLength);
                    if (reader.GetBoolean(4))
                    {
                        LedgerSchema.ReadEvent(reader, sequence, 5, row);
                        ExportLine.WriteEvent(output, row, hash, previous);
                    }
                    else if (reader.GetString(1) == LedgerSchema.KindGap)
                    {
                        ExportLine.WriteGap(output, sequence, hash, previous);
                    }
                    else
                    {
                        // A chained event whose row is gone is left out: the export shows what is stored, the verifier finds the hole.
                        continue;
                    }

                    if (++pending == FlushEvery)
                    {
                        pending = 0;
                        await flushAsync(cancellationToken);
                    }
                }
            }

            if (read < batchSize)
            {
                break;
            }
        }

        await flushAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
