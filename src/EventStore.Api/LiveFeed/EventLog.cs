using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx.Events;
using EventStore.Api.Database;
using EventStore.Api.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace EventStore.Api.LiveFeed;

/// <summary>
/// One row of the global event log: data and metadata exactly as stored. The one record every reader of the log uses:
/// subscriptions, audit queries and the export alike. <see cref="DataAs{T}"/> reads it typed.
/// </summary>
public sealed record StoredEvent(
    long Sequence, Guid Id, Guid StreamId, string? StreamType, long Version, string Type, DateTimeOffset Timestamp,
    string Data, string? Actor, string? CorrelationId, string? CausationId, string? Headers)
{
    private static readonly JsonSerializerOptions Stored = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The stored data read as <typeparamref name="T"/> (an event, or a smaller record naming some of its fields).</summary>
    public T DataAs<T>() => JsonSerializer.Deserialize<T>(Data, Stored)
        ?? throw new InvalidOperationException($"Event {Sequence} has no data.");
}

/// <summary>Which rows of the log a reader wants; empty fields match everything.</summary>
public sealed record EventLogFilter(
    DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? StreamTypes,
    string? Actor, string? CorrelationId, Guid? StreamId)
{
    /// <summary>Every row.</summary>
    public static EventLogFilter All { get; } = new(null, null, null, null, null, null, null);

    /// <summary>Rows of the given event types, named by their .NET types (never by hand-written strings).</summary>
    public static EventLogFilter OfEvents(params Type[] eventTypes) => All with { EventTypes = [.. eventTypes.Select(EventNames.Of)] };

    /// <summary>Rows of streams of the given kinds (the aggregate's stream type, e.g. <c>cash_account</c>).</summary>
    public static EventLogFilter OfStreams(params string[] streamTypes) => All with { StreamTypes = streamTypes };

    /// <summary>The filter applied to a row already read (live events); <see cref="EventLog.PageAsync"/> applies it in SQL.</summary>
    public bool Matches(StoredEvent e) =>
        (EventTypes is not { Count: > 0 } types || types.Contains(e.Type))
        && (StreamTypes is not { Count: > 0 } streams || streams.Contains(e.StreamType ?? ""))
        && (StreamId is not { } id || id == e.StreamId)
        && (From is not { } from || e.Timestamp >= from)
        && (To is not { } to || e.Timestamp < to)
        && (string.IsNullOrEmpty(Actor) || Actor == e.Actor)
        && (string.IsNullOrEmpty(CorrelationId) || CorrelationId == e.CorrelationId);
}

/// <summary>The name an event type is stored under in the log (Marten's naming: snake case of the type's name).</summary>
public static class EventNames
{
    public static string Of<T>() => Of(typeof(T));

    public static string Of(Type eventType) => eventType.GetEventTypeName();
}

/// <summary>
/// Reads `mt_events` directly (with the stream type from `mt_streams`), keyset-paged by global sequence. Plain SQL on
/// purpose: auditors see the stored rows, not what our .NET types make of them.
/// </summary>
public sealed class EventLog(PostgresConnectionSource postgres)
{
    private const string Columns =
        "e.seq_id, e.id, e.stream_id, s.type, e.version, e.type, e.timestamp, e.data::text, e.user_name, " +
        "e.correlation_id, e.causation_id, e.headers::text";

    private static readonly string From =
        $"from {EventStoreSetup.SchemaName}.mt_events e left join {EventStoreSetup.SchemaName}.mt_streams s on s.id = e.stream_id";

    public async Task<IReadOnlyList<StoredEvent>> StreamAsync(Guid streamId, long fromVersion, int limit, CancellationToken ct)
    {
        var sql = $"select {Columns} {From} where e.stream_id = @stream and e.version >= @from order by e.version limit @limit";
        return await QueryAsync(sql, ct, ("stream", streamId), ("from", fromVersion), ("limit", limit));
    }

    public async Task<IReadOnlyList<StoredEvent>> PageAsync(EventLogFilter filter, long afterSequence, int limit, CancellationToken ct,
        long? upToSequence = null)
    {
        var where = new StringBuilder("where e.seq_id > @after and e.type <> 'tombstone'");
        var parameters = new List<(string, object)> { ("after", afterSequence), ("limit", limit) };
        if (upToSequence is { } upTo)
        {
            where.Append(" and e.seq_id <= @upTo");
            parameters.Add(("upTo", upTo));
        }

        void Add(string clause, string name, object value)
        {
            where.Append(" and ").Append(clause);
            parameters.Add((name, value));
        }

        if (filter.From is { } from) Add("e.timestamp >= @fromTs", "fromTs", from);
        if (filter.To is { } to) Add("e.timestamp < @toTs", "toTs", to);
        if (filter.EventTypes is { Count: > 0 } types) Add("e.type = any(@types)", "types", types.ToArray());
        if (filter.StreamTypes is { Count: > 0 } streamTypes) Add("s.type = any(@streamTypes)", "streamTypes", streamTypes.ToArray());
        if (!string.IsNullOrEmpty(filter.Actor)) Add("e.user_name = @actor", "actor", filter.Actor);
        if (!string.IsNullOrEmpty(filter.CorrelationId)) Add("e.correlation_id = @correlation", "correlation", filter.CorrelationId);
        if (filter.StreamId is { } stream) Add("e.stream_id = @stream", "stream", stream);

        return await QueryAsync($"select {Columns} {From} {where} order by e.seq_id limit @limit", ct, [.. parameters]);
    }

    /// <summary>
    /// Marten's high-water mark: every sequence at or below it is committed or was given up as a gap by the daemon, so
    /// nothing can still appear below it. Consumers that must not skip a late commit read only up to it.
    /// </summary>
    public async Task<long> HighWaterMarkAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select last_seq_id from {EventStoreSetup.SchemaName}.mt_event_progression where name = 'HighWaterMark'", connection);
        return await command.ExecuteScalarAsync(ct) is long mark ? mark : 0;
    }

    public async Task<string?> StreamTypeAsync(Guid streamId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select type from {EventStoreSetup.SchemaName}.mt_streams where id = @id", connection);
        command.Parameters.AddWithValue("id", streamId);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private async Task<IReadOnlyList<StoredEvent>> QueryAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is DateTimeOffset at
                ? new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = at.UtcDateTime }
                : new NpgsqlParameter(name, value));
        }

        var rows = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), Text(reader, 3), reader.GetInt64(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), Text(reader, 8), Text(reader, 9),
                Text(reader, 10), Text(reader, 11)));
        }

        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
