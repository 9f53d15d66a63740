using System.Collections.Immutable;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace EventStore.Domain.Commits;

/// <summary>
/// Appends the events of a group commit whose streams the committer remembers (it knows each stream's version) in one
/// round trip: one call of one function for the whole batch, outside any explicit transaction, so PostgreSQL runs it as
/// one implicit transaction and commits it before it answers (docs/performance.md#known-stream-appends). Marten's own path
/// takes two round trips for the same work (its batch inside <c>BEGIN</c>, then <c>COMMIT</c>) and runs its append
/// function once per stream.
/// <list type="bullet">
/// <item>The rows are Marten's: the same tables, columns, sequence and metadata as Marten's own append writes, so Marten,
/// its daemon, the hash chain and the offline verifier read them as any other event.</item>
/// <item>The database still decides. A stream not at its expected version (or archived, or missing) refuses the whole
/// group before any sequence number is taken. Then, as in Marten's own append, the event rows go in first (a writer of the
/// same versions meets this one on their unique key) and each stream row moves from its expected version only; a writer
/// that committed in between refuses the group there. Streams go in the order of their ids, as on the committer's Marten
/// path, so two writers of the same streams never wait on each other in a cycle. Every refusal, and any error the server
/// answers, rolls the statement's transaction back whole; the caller gets
/// <see cref="EventStreamUnexpectedMaxEventIdException"/>, as from Marten.</item>
/// <item>Only for streams that exist, and only for events no inline projection reads: the group committer checks both
/// (Marten's listeners do not hear these appends; <see cref="OnAppended"/> does).</item>
/// </list>
/// </summary>
public sealed class KnownStreamAppender
{
    /// <summary>The function's name, in the event store's schema.</summary>
    public const string FunctionName = "es_append_known_streams";

    /// <summary>SQLSTATE of a stream not at its expected version (or archived, or missing): nothing of the batch is stored.</summary>
    public const string VersionMismatch = "ES003";

    private readonly ILogger<KnownStreamAppender> _logger;
    private ImmutableArray<Action<IReadOnlyList<IEvent>>> _observers = [];
    private long _committed;

    public KnownStreamAppender(ILogger<KnownStreamAppender> logger)
    {
        _logger = logger;
    }

    /// <summary>Groups committed by this appender since start (tests, diagnostics).</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>
    /// Whether the function writes what Marten itself would for <paramref name="options"/>: one tenant, streams keyed by
    /// <see cref="Guid"/>, Marten's quick append, events as JSON, no partitioned or archived-partition tables, no
    /// notification on append. Anything else keeps Marten's own path.
    /// </summary>
    public static bool Writes(StoreOptions options)
    {
        var events = options.Events;
        return events.AppendMode is EventAppendMode.Quick or EventAppendMode.QuickWithServerTimestamps
            && events.TenancyStyle == JasperFx.MultiTenancy.TenancyStyle.Single
            && events.StreamIdentity == StreamIdentity.AsGuid
            && !events.UseArchivedStreamPartitioning
            && !events.UseTenantPartitionedEvents
            && !events.UseListenNotifyForEventAppends
            && events.DefaultBinarySerializer is null;
    }

    /// <summary>The function, created by the owner at start with the rest of the schema (it runs as its caller).</summary>
    public static string Ddl(string schema) => $$"""
        create or replace function {{schema}}.{{FunctionName}}(streams uuid[], expected bigint[], event_streams uuid[],
            event_versions bigint[], event_ids uuid[], event_types varchar[], dotnet_types varchar[], bodies jsonb[],
            timestamps timestamptz[], correlation_ids varchar[], causation_ids varchar[], headers jsonb[], user_names varchar[])
            returns bigint[] language plpgsql as $fn$
        declare
            behind uuid;
            moved int;
            sequences bigint[];
        begin
            -- A stream known to have moved on (or archived, or missing) refuses the group before any sequence number is
            -- taken: no gap for the daemon's high-water mark to wait out.
            select x.stream into behind from unnest(streams, expected) as x(stream, expected)
                left join {{schema}}.mt_streams m on m.id = x.stream
                where m.id is null or m.is_archived or m.version <> x.expected
                limit 1;
            if found then
                raise exception 'Stream % is not at its expected version', behind using errcode = '{{VersionMismatch}}';
            end if;
            -- The event rows first, then the stream rows, in the caller's order (by stream id), as Marten's own append
            -- does: a writer of the same versions meets this one on the events' unique key, never in a lock cycle.
            with appended as (
                insert into {{schema}}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type,
                    is_archived, correlation_id, causation_id, headers, user_name)
                select nextval('{{schema}}.mt_events_sequence'), e.id, e.stream, e.version, e.body, e.type, e.at, e.dotnet_type,
                    false, e.correlation_id, e.causation_id, e.headers, e.user_name
                from unnest(event_streams, event_versions, event_ids, event_types, dotnet_types, bodies, timestamps,
                    correlation_ids, causation_ids, headers, user_names) with ordinality
                    as e(stream, version, id, type, dotnet_type, body, at, correlation_id, causation_id, headers, user_name, n)
                order by e.n
                returning seq_id)
            select array_agg(seq_id order by seq_id) into sequences from appended;
            update {{schema}}.mt_streams m set version = s.last, timestamp = now()
                from (select x.stream, x.expected, max(e.version) as last
                      from unnest(streams, expected) as x(stream, expected)
                      join unnest(event_streams, event_versions) as e(stream, version) on e.stream = x.stream
                      group by x.stream, x.expected) as s
                where m.id = s.stream and m.version = s.expected and not m.is_archived;
            get diagnostics moved = row_count;
            if moved <> cardinality(streams) then
                -- A writer committed between the check above and here: all of it is rolled back (the numbers taken stay a gap).
                raise exception 'A stream of the group moved on while it was appended' using errcode = '{{VersionMismatch}}';
            end if;
            return sequences;
        end
        $fn$;
        """;

    /// <summary>Called with the events of every batch this appender committed (metrics; Marten's listeners do not hear them).</summary>
    public void OnAppended(Action<IReadOnlyList<IEvent>> observer) => ImmutableInterlocked.Update(ref _observers, o => o.Add(observer));

    /// <summary>
    /// Appends, through <paramref name="store"/>'s database, every stream's events right after its expected version, all or nothing, and sets each event's version,
    /// sequence and (when unset) timestamp. Throws <see cref="EventStreamUnexpectedMaxEventIdException"/> when a stream
    /// is not at its expected version: nothing was stored. Any other failure may have happened after the commit (the
    /// outcome is unknown).
    /// </summary>
    public async Task AppendAsync(IDocumentStore store, IReadOnlyList<KnownStreamAppend> appends, CancellationToken ct = default)
    {
        if (appends.Count == 0)
        {
            return;
        }

        // By stream id, the order the group committer's Marten path uses too: two writers of the same streams take them
        // in one order.
        var ordered = appends.OrderBy(a => a.StreamId).ToArray();
        var events = new List<IEvent>();
        var streams = new Guid[ordered.Length];
        var expected = new long[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var append = ordered[i];
            if (append.Events.Count == 0 || (i > 0 && streams[i - 1] == append.StreamId))
            {
                throw new ArgumentException($"Stream {append.StreamId}: each stream once, with at least one event.", nameof(appends));
            }

            streams[i] = append.StreamId;
            expected[i] = append.ExpectedVersion;
            for (var j = 0; j < append.Events.Count; j++)
            {
                append.Events[j].StreamId = append.StreamId;
                append.Events[j].Version = append.ExpectedVersion + j + 1;
                events.Add(append.Events[j]);
            }
        }

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(store, connection, streams, expected, events);
        long[] sequences;
        try
        {
            sequences = (long[])(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        catch (PostgresException e) when (e.SqlState is VersionMismatch or PostgresErrorCodes.DeadlockDetected
            || (e.SqlState == PostgresErrorCodes.UniqueViolation && StoreConflicts.IsStreamVersionRace(e)))
        {
            // The server answered with an error, so the statement's implicit transaction rolled back: nothing was stored,
            // and the commands may be decided again. (Anything else, a lost connection above all, leaves the outcome
            // unknown and is thrown as it is.)
            var behind = ordered.FirstOrDefault(a => e.MessageText.Contains(a.StreamId.ToString(), StringComparison.Ordinal)) ?? ordered[0];
            throw new EventStreamUnexpectedMaxEventIdException(behind.StreamId, behind.AggregateType, behind.ExpectedVersion, -1);
        }

        for (var i = 0; i < events.Count; i++)
        {
            events[i].Sequence = sequences[i];
        }

        Interlocked.Increment(ref _committed);
        foreach (var observer in _observers)
        {
            try
            {
                observer(events);
            }
            catch (Exception e)
            {
                // Committed: an observer (metrics) never turns that into a failure.
                _logger.LogWarning(e, "An observer of appended events failed.");
            }
        }
    }

    private NpgsqlCommand Command(IDocumentStore store, NpgsqlConnection connection, Guid[] streams, long[] expected, List<IEvent> events)
    {
        var serializer = store.Options.Serializer();
        var now = ((StoreOptions)store.Options).Events.TimeProvider.GetUtcNow(); // the clock Marten stamps its own appends with
        var count = events.Count;
        var eventStreams = new Guid[count];
        var versions = new long[count];
        var ids = new Guid[count];
        var types = new string[count];
        var dotnetTypes = new string[count];
        var bodies = new string[count];
        var timestamps = new DateTimeOffset[count];
        var correlations = new string?[count];
        var causations = new string?[count];
        var headers = new string?[count];
        var users = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var e = events[i];
            if (e.Timestamp == default)
            {
                e.Timestamp = now;
            }

            eventStreams[i] = e.StreamId;
            versions[i] = e.Version;
            ids[i] = e.Id;
            types[i] = e.EventTypeName;
            dotnetTypes[i] = e.DotNetTypeName;
            bodies[i] = serializer.ToJson(e.Data);
            timestamps[i] = e.Timestamp;
            correlations[i] = e.CorrelationId;
            causations[i] = e.CausationId;
            headers[i] = serializer.ToJson(e.Headers); // as Marten writes them: JSON null when there are none
            users[i] = e.UserName;
        }

        var call = $"select {store.Options.Events.DatabaseSchemaName}.{FunctionName}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
        return new NpgsqlCommand(call, connection)
        {
            Parameters =
            {
                ArrayOf(streams, NpgsqlDbType.Uuid),
                ArrayOf(expected, NpgsqlDbType.Bigint),
                ArrayOf(eventStreams, NpgsqlDbType.Uuid),
                ArrayOf(versions, NpgsqlDbType.Bigint),
                ArrayOf(ids, NpgsqlDbType.Uuid),
                ArrayOf(types, NpgsqlDbType.Varchar),
                ArrayOf(dotnetTypes, NpgsqlDbType.Varchar),
                ArrayOf(bodies, NpgsqlDbType.Jsonb),
                ArrayOf(timestamps, NpgsqlDbType.TimestampTz),
                ArrayOf(correlations, NpgsqlDbType.Varchar),
                ArrayOf(causations, NpgsqlDbType.Varchar),
                ArrayOf(headers, NpgsqlDbType.Jsonb),
                ArrayOf(users, NpgsqlDbType.Varchar),
            },
        };
    }

    private static NpgsqlParameter<TElement[]> ArrayOf<TElement>(TElement[] values, NpgsqlDbType element) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | element };
}

/// <summary>One stream's part of a <see cref="KnownStreamAppender"/> batch: its events, right after <paramref name="ExpectedVersion"/>.</summary>
public sealed record KnownStreamAppend(Guid StreamId, Type? AggregateType, long ExpectedVersion, IReadOnlyList<IEvent> Events);
