using System.Data;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Npgsql;

namespace EventStore.Api.Reconciliation;

/// <summary>
/// One page's view of the database: a read-only REPEATABLE READ transaction, so the projection's progress, the events
/// and the read-model rows it reads are one snapshot. The daemon commits a batch's documents and its progress in one
/// transaction, so inside a snapshot the rows hold exactly the events up to the progress: comparing up to there
/// never mistakes a lagging projection for a tampered one. Each page takes a fresh snapshot (no transaction stays
/// open for a whole run); the progress is read again in each.
/// </summary>
internal sealed class ReadModelSnapshot : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _schema;

    private ReadModelSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, IQuerySession session, string schema)
    {
        _connection = connection;
        _transaction = transaction;
        Session = session;
        _schema = schema;
    }

    /// <summary>A Marten session inside the snapshot (reads events with Marten's own deserialization and upcasting).</summary>
    public IQuerySession Session { get; }

    public static async Task<ReadModelSnapshot> OpenAsync(IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(ct);
            }

            return new ReadModelSnapshot(connection, transaction, store.QuerySession(Marten.Services.SessionOptions.ForTransaction(transaction)),
                store.Options.Events.DatabaseSchemaName);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The last sequence every shard of the projection has processed; 0 before its first batch.</summary>
    public async Task<long> ProcessedThroughAsync(string projection, CancellationToken ct)
    {
        await using var command = Command(
            $"select coalesce(min(last_seq_id), 0) from {_schema}.mt_event_progression where starts_with(name, @prefix)");
        command.Parameters.AddWithValue("prefix", projection + ":");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The next page of streams, by id, that hold at least one processed event of the projection. Keyset paging over
    /// `mt_streams` (one row per stream), each checked with the `mt_events` stream index: a run reads every stream
    /// once, not the whole log once per page.
    /// </summary>
    public async Task<Guid[]> StreamPageAsync(string[] eventTypes, long processedThrough, Guid? after, int size, CancellationToken ct)
    {
        await using var command = Command($"""
            select s.id from {_schema}.mt_streams s
            where (@after::uuid is null or s.id > @after::uuid)
              and exists (select 1 from {_schema}.mt_events e
                          where e.stream_id = s.id and e.type = any(@types) and e.seq_id <= @through)
            order by s.id limit @size
            """);
        command.Parameters.AddWithValue("after", (object?)after ?? DBNull.Value);
        command.Parameters.AddWithValue("types", eventTypes);
        command.Parameters.AddWithValue("through", processedThrough);
        command.Parameters.AddWithValue("size", size);
        return await ReadIdsAsync(command, ct);
    }

    /// <summary>The next page of read-model row ids.</summary>
    public async Task<Guid[]> RowPageAsync(string table, Guid? after, int size, CancellationToken ct)
    {
        await using var command = Command($"select id from {table} where (@after::uuid is null or id > @after::uuid) order by id limit @size");
        command.Parameters.AddWithValue("after", (object?)after ?? DBNull.Value);
        command.Parameters.AddWithValue("size", size);
        return await ReadIdsAsync(command, ct);
    }

    /// <summary>Which of these ids are streams with at least one processed event of the projection.</summary>
    public async Task<HashSet<Guid>> StreamsWithEventsAsync(Guid[] ids, string[] eventTypes, long processedThrough, CancellationToken ct)
    {
        await using var command = Command($"""
            select distinct stream_id from {_schema}.mt_events
            where stream_id = any(@ids) and type = any(@types) and seq_id <= @through
            """);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("types", eventTypes);
        command.Parameters.AddWithValue("through", processedThrough);
        return [.. await ReadIdsAsync(command, ct)];
    }

    /// <summary>The stored rows (JSON as stored, and the duplicated columns) of these ids.</summary>
    public async Task<Dictionary<Guid, StoredRow>> RowsAsync(string table, IReadOnlyList<DuplicatedColumn> columns, Guid[] ids,
        CancellationToken ct)
    {
        var select = string.Concat(columns.Select(c => $", \"{c.Name}\""));
        await using var command = Command($"select id, data::text{select} from {table} where id = any(@ids)");
        command.Parameters.AddWithValue("ids", ids);
        var rows = new Dictionary<Guid, StoredRow>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var values = new Dictionary<string, object?>(columns.Count);
            for (var i = 0; i < columns.Count; i++)
            {
                values[columns[i].Name] = await reader.IsDBNullAsync(2 + i, ct) ? null : reader.GetValue(2 + i);
            }

            rows[reader.GetGuid(0)] = new StoredRow(reader.GetString(1), values);
        }

        return rows;
    }

    /// <summary>
    /// Sequences of events the daemon dead-lettered for this projection (an Apply that threw): the daemon skipped them,
    /// so the rows of their streams legitimately differ from a recomputation. Those streams are reported as skipped.
    /// </summary>
    public async Task<HashSet<long>> DeadLetteredAsync(string projection, long processedThrough, CancellationToken ct) =>
        [.. await Session.Query<DeadLetterEvent>()
            .Where(x => x.ProjectionName == projection && x.EventSequence <= processedThrough)
            .Select(x => x.EventSequence)
            .ToListAsync(ct)];

    /// <summary>The projection's processed events of these streams, by stream then version, streamed (not buffered).</summary>
    public IAsyncEnumerable<IEvent> EventsAsync(Guid[] ids, Type[] eventTypes, long processedThrough, CancellationToken ct) =>
        Session.Events.QueryAllRawEvents()
            .Where(x => x.StreamId.IsOneOf(ids) && x.Sequence <= processedThrough && x.EventTypesAre(eventTypes))
            .OrderBy(x => x.StreamId).ThenBy(x => x.Version)
            .ToAsyncEnumerable(ct);

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await _transaction.DisposeAsync(); // rolls back: nothing was written
        await _connection.DisposeAsync();
    }

    private NpgsqlCommand Command(string sql) => new(sql, _connection, _transaction);

    private static async Task<Guid[]> ReadIdsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }
}

/// <summary>A read-model row as stored: its JSON text and its duplicated columns by name.</summary>
internal sealed record StoredRow(string Data, IReadOnlyDictionary<string, object?> Columns);
