using System.Buffers;
using EventStore.Audit;
using Npgsql;

namespace EventStore.Api.Auditing;

/// <summary>
/// Streams the chained part of the log as NDJSON (docs/compliance.md): keyset reads of `BatchSize` rows over the ledger,
/// left-joined to the events as they are now. Lines are written from the rows' raw bytes (no strings, no documents) into
/// one reused buffer, handed to the response and flushed every <see cref="ChunkSize"/> bytes: memory stays flat whatever
/// the range, and the response pipe sees a few large writes instead of dozens of small ones per line. The ledger drives (it has a row for every sequence up to its head), so a deleted event leaves a
/// hole the verifier sees, and an event forged into a skipped number carries the gap's hash.
/// </summary>
internal static class AuditExport
{
    public const string ContentType = "application/x-ndjson";

    /// <summary>Large writes to the socket, a small bound on what waits in the response pipe.</summary>
    private const int ChunkSize = 64 * 1024;

    public static async Task WriteAsync(AuditLedger ledger, long fromSequence, long toSequence, int batchSize, IBufferWriter<byte> output,
        Func<CancellationToken, ValueTask> flushAsync, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // One snapshot for the whole export: batches see the same log even while it grows.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            select l.seq_id, l.kind, l.hash, l.prev_hash, e.seq_id is not null, {LedgerSchema.EventColumnsSql}
            from {LedgerSchema.Ledger} l
            left join {LedgerSchema.Events} e on e.seq_id = l.seq_id and e.seq_id > @after and e.seq_id <= @to
            where l.seq_id > @after and l.seq_id <= @to
            order by l.seq_id
            limit @limit
            """, connection, transaction);
        var after = command.Parameters.AddWithValue("after", fromSequence - 1);
        command.Parameters.AddWithValue("to", toSequence);
        command.Parameters.AddWithValue("limit", batchSize);
        // The range is repeated on the events' side on purpose: PostgreSQL does not carry it across a left join, and without
        // it every batch's merge join scans mt_events from the start (quadratic: minutes instead of seconds for 1,000,000).
        await command.PrepareAsync(cancellationToken);

        var row = new EventRow();
        var hash = new byte[HashChain.HashLength];
        var previous = new byte[HashChain.HashLength];
        var lines = new ArrayBufferWriter<byte>(ChunkSize + 16 * 1024);
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
                    // Neither an event nor a gap: a chained event whose row is gone. Left out: the export shows what is stored,
                    // the verifier finds the hole.
                    if (reader.GetBoolean(4))
                    {
                        LedgerSchema.ReadEvent(reader, sequence, 5, row);
                        ExportLine.WriteEvent(lines, row, hash, previous);
                    }
                    else if (reader.GetString(1) == LedgerSchema.KindGap)
                    {
                        ExportLine.WriteGap(lines, sequence, hash, previous);
                    }

                    if (lines.WrittenCount >= ChunkSize)
                    {
                        output.Write(lines.WrittenSpan);
                        lines.ResetWrittenCount();
                        await flushAsync(cancellationToken);
                    }
                }
            }

            if (read < batchSize)
            {
                break;
            }
        }

        output.Write(lines.WrittenSpan);
        await flushAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
