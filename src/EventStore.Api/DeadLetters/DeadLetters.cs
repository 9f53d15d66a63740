using EventStore.Api.Database;
using Npgsql;

namespace EventStore.Api.DeadLetters;

/// <summary>A skipped event of one projection or subscription, as admins see it.</summary>
public sealed record DeadLetter(
    Guid Id, string Projection, string Shard, long Sequence, Guid? StreamId, string? EventType, string Error, string? ErrorType,
    DateTimeOffset RecordedAt);

/// <summary>
/// Reads Marten's dead-letter table (`mt_doc_deadletterevent`, one <see cref="JasperFx.Events.Daemon.DeadLetterEvent"/>
/// document per skipped event, written by Marten for failures in projection code and by <see cref="ProjectionRepair"/>
/// for failed writes). The stream and event type come from the event itself, joined by global sequence.
/// </summary>
public sealed class DeadLetterReads(PostgresConnectionSource postgres)
{
    public const string Table = StoreSchema.Name + ".mt_doc_deadletterevent";

    private const string Select = $"""
        select d.id, d.data->>'ProjectionName', coalesce(d.data->>'ShardName', ''), (d.data->>'EventSequence')::bigint,
               e.stream_id, e.type, coalesce(d.data->>'ExceptionMessage', ''), d.data->>'ExceptionType',
               (d.data->>'Timestamp')::timestamptz
        from {Table} d
        left join {StoreSchema.Name}.mt_events e on e.seq_id = (d.data->>'EventSequence')::bigint
        """;

    /// <summary>One page in (sequence, id) order, after the given key; one row more than asked tells if there is a next page.</summary>
    public async Task<(IReadOnlyList<DeadLetter> Items, bool HasNext)> PageAsync(string? projection, int first, (long Sequence, Guid Id)? after,
        CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            {Select}
            where (@projection::text is null or d.data->>'ProjectionName' = @projection)
              and (@after_seq::bigint is null or ((d.data->>'EventSequence')::bigint, d.id) > (@after_seq, @after_id))
            order by (d.data->>'EventSequence')::bigint, d.id
            limit @limit
            """, connection);
        command.Parameters.AddWithValue("projection", NpgsqlTypes.NpgsqlDbType.Text, (object?)projection ?? DBNull.Value);
        command.Parameters.AddWithValue("after_seq", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)after?.Sequence ?? DBNull.Value);
        command.Parameters.AddWithValue("after_id", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)after?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue("limit", first + 1);
        var rows = await ReadAsync(command, ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    public async Task<DeadLetter?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"{Select} where d.id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>Every dead letter of <paramref name="projection"/>, oldest event first (the order a replay needs).</summary>
    public async Task<IReadOnlyList<DeadLetter>> AllOfAsync(string projection, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"{Select} where d.data->>'ProjectionName' = @projection order by (d.data->>'EventSequence')::bigint, d.id", connection);
        command.Parameters.AddWithValue("projection", projection);
        return await ReadAsync(command, ct);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task<List<DeadLetter>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new DeadLetter(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return rows;
    }
}
