using System.Collections.Immutable;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace EventStore.Domain.Commits;

/// <summary>
/// Appends the events of a group commit whose streams the committer remembers (it knows each stream's version) in one
/// round trip: one <see cref="NpgsqlBatch"/> with one statement per stream (<see cref="AppendStatement"/>), outside any explicit
/// transaction, so PostgreSQL runs the whole batch as one implicit transaction and commits it before it answers
/// (docs/performance.md#known-stream-appends). Marten's own path takes two round trips for the same work (its batch after
/// <c>BEGIN</c>, then <c>COMMIT</c>).
/// <list type="bullet">
/// <item>The rows are Marten's: the same tables, columns, sequence and metadata as Marten's own append writes, so Marten,
/// its daemon, the hash chain and the offline verifier read them as any other event.</item>
/// <item>The database still decides. A stream not at its expected version (or archived, or missing) is refused before any
/// stream of the group takes a sequence number (for a group of several, <see cref="CheckFunctionName"/> checks them all
/// first). Then, as in Marten's own append, its event rows go in first (a writer of the same versions
/// meets this one on their unique key) and its stream row moves from the expected version only; a writer that committed
/// in between refuses it there. Streams go in the order of their ids, as on the committer's Marten path, so two writers
/// of the same streams never wait on each other in a cycle. Any refusal, and any error the server answers, rolls the
/// whole batch back; the caller gets <see cref="EventStreamUnexpectedMaxEventIdException"/>, as from Marten.</item>
/// <item>Only for streams that exist, and only for events no inline projection reads: the group committer checks both
/// (Marten's listeners do not hear these appends; <see cref="OnAppended"/> does).</item>
/// </list>
/// </summary>
public sealed class KnownStreamAppender
{
    /// <summary>The function the append statement raises its refusal with, in the event store's schema.</summary>
    public const string RefusalFunctionName = "es_refuse_known_stream";

    /// <summary>The function that checks every stream of a group of several before any of them takes a sequence number.</summary>
    public const string CheckFunctionName = "es_check_known_streams";

    /// <summary>SQLSTATE of a stream not at its expected version (or archived, or missing): nothing of the batch is stored.</summary>
    public const string VersionMismatch = "ES003";

    private readonly ILogger<KnownStreamAppender> _logger;
    private ImmutableArray<Action<IReadOnlyList<IEvent>>> _observers = [];
    private long _committed;
    private Statements? _statements; // the SQL texts, built once for the store's schema

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

    /// <summary>The two functions, created by the owner at start with the rest of the schema (they run as their caller).</summary>
    public static string Ddl(string schema) => $$"""
        create or replace function {{schema}}.{{CheckFunctionName}}(streams uuid[], expected bigint[]) returns void
            language plpgsql as $fn$
        declare
            behind uuid;
        begin
            select x.stream into behind from unnest(streams, expected) as x(stream, expected)
                where not exists (select 1 from {{schema}}.mt_streams m
                                  where m.id = x.stream and m.version = x.expected and not m.is_archived)
                limit 1;
            if found then
                raise exception 'Stream % is not at its expected version', behind using errcode = '{{VersionMismatch}}';
            end if;
        end
        $fn$;

        -- Raised by the append statement when its stream was not at the expected version (a function, so that the
        -- statement can raise it: nothing of the batch is then stored).
        create or replace function {{schema}}.{{RefusalFunctionName}}(stream uuid, expected bigint) returns bigint[]
            language plpgsql volatile as $fn$
        begin
            raise exception 'Stream % is not at version %', stream, expected using errcode = '{{VersionMismatch}}';
        end
        $fn$;

        -- Issue 18's tenth round appended through functions (one per stream, and for a few commits one per group); one
        -- statement does the same work in half the server time. Dropped from databases that still have them.
        drop function if exists {{schema}}.es_append_known_stream(uuid, bigint, uuid[], varchar[], varchar[], jsonb[],
            timestamptz[], varchar[], varchar[], jsonb[], varchar[]);
        drop function if exists {{schema}}.es_append_known_streams(uuid[], bigint[], uuid[], bigint[], uuid[], varchar[],
            varchar[], jsonb[], timestamptz[], varchar[], varchar[], jsonb[], varchar[]);
        """;

    /// <summary>Called with the events of every batch this appender committed (metrics; Marten's listeners do not hear them).</summary>
    public void OnAppended(Action<IReadOnlyList<IEvent>> observer) => ImmutableInterlocked.Update(ref _observers, o => o.Add(observer));

    /// <summary>
    /// Appends, through <paramref name="store"/>'s database, every stream's events right after its expected version, all
    /// or nothing, and sets each event's version, sequence and (when unset) timestamp. Throws <see cref="EventStreamUnexpectedMaxEventIdException"/> when a stream
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
        for (var i = 0; i < ordered.Length; i++)
        {
            var append = ordered[i];
            if (append.Events.Count == 0 || (i > 0 && ordered[i - 1].StreamId == append.StreamId))
            {
                throw new ArgumentException($"Stream {append.StreamId}: each stream once, with at least one event.", nameof(appends));
            }

            for (var j = 0; j < append.Events.Count; j++)
            {
                append.Events[j].StreamId = append.StreamId;
                append.Events[j].Version = append.ExpectedVersion + j + 1;
                events.Add(append.Events[j]);
            }
        }

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        var statements = StatementsFor(store.Options.Events.DatabaseSchemaName);
        var serializer = store.Options.Serializer();
        var now = ((StoreOptions)store.Options).Events.TimeProvider.GetUtcNow(); // the clock Marten stamps its own appends with
        if (ordered.Length > 1)
        {
            // A group of several: every stream checked before any takes a sequence number, so a refusal leaves no gap.
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statements.Check)
            {
                Parameters =
                {
                    ArrayOf(ordered.Select(a => a.StreamId).ToArray(), NpgsqlDbType.Uuid),
                    ArrayOf(ordered.Select(a => a.ExpectedVersion).ToArray(), NpgsqlDbType.Bigint),
                },
            });
        }

        foreach (var append in ordered)
        {
            batch.BatchCommands.Add(Command(statements.Append, serializer, now, append));
        }

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (ordered.Length > 1)
            {
                await reader.NextResultAsync(ct).ConfigureAwait(false);
            }

            foreach (var append in ordered)
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                var sequences = reader.GetFieldValue<long[]>(0);
                for (var j = 0; j < append.Events.Count; j++)
                {
                    append.Events[j].Sequence = sequences[j];
                }

                await reader.NextResultAsync(ct).ConfigureAwait(false);
            }
        }
        catch (PostgresException e) when (e.SqlState is VersionMismatch or PostgresErrorCodes.DeadlockDetected
            || (e.SqlState == PostgresErrorCodes.UniqueViolation && StoreConflicts.IsStreamVersionRace(e)))
        {
            // The server answered with an error, so the batch's implicit transaction rolled back: nothing was stored,
            // and the commands may be decided again. (Anything else, a lost connection above all, leaves the outcome
            // unknown and is thrown as it is.)
            var behind = ordered.FirstOrDefault(a => e.MessageText.Contains(a.StreamId.ToString(), StringComparison.Ordinal)) ?? ordered[0];
            throw new EventStreamUnexpectedMaxEventIdException(behind.StreamId, behind.AggregateType, behind.ExpectedVersion, -1);
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

    private Statements StatementsFor(string schema)
    {
        // One appender serves one store; the texts are rebuilt only if it were ever handed another schema.
        var statements = _statements;
        if (statements is null || statements.Schema != schema)
        {
            statements = new Statements(schema, AppendStatement(schema), $"select {schema}.{CheckFunctionName}($1, $2)");
            _statements = statements;
        }

        return statements;
    }

    private sealed record Statements(string Schema, string Append, string Check);

    /// <summary>
    /// One stream's append, one statement: <c>$1</c> the stream, <c>$2</c> its expected version, <c>$3</c>..<c>$11</c> one
    /// array per column, an element per event. In this order, each step gating the next:
    /// <list type="number">
    /// <item>the stream is checked at the expected version (and not archived) before any event takes a sequence number;</item>
    /// <item>the event rows go in, as in Marten's own append before the stream row (a writer of the same versions meets
    /// this one on the events' unique key, never in a lock cycle);</item>
    /// <item>the stream row moves from the expected version only (a writer that committed in between leaves it elsewhere);</item>
    /// <item>if it did not move, <see cref="RefusalFunctionName"/> raises <see cref="VersionMismatch"/>, which rolls back the
    /// batch's implicit transaction: the rows of step 2 are not stored.</item>
    /// </list>
    /// Answers the sequence numbers, in event order. A function did the same with a round of PL/pgSQL per step: 0.11 ms
    /// of the server's time per deposit against 0.06 (docs/performance.md#known-stream-appends).
    /// </summary>
    internal static string AppendStatement(string schema) => $"""
        with appended as (
            insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type,
                is_archived, correlation_id, causation_id, headers, user_name)
            select nextval('{schema}.mt_events_sequence'), e.id, $1, $2 + e.n, e.body, e.type, e.at, e.dotnet_type,
                false, e.correlation_id, e.causation_id, e.headers, e.user_name
            from unnest($3::uuid[], $4::varchar[], $5::varchar[], $6::jsonb[], $7::timestamptz[], $8::varchar[],
                $9::varchar[], $10::jsonb[], $11::varchar[])
                with ordinality as e(id, type, dotnet_type, body, at, correlation_id, causation_id, headers, user_name, n)
            where exists (select 1 from {schema}.mt_streams where id = $1 and version = $2 and not is_archived)
            order by e.n
            returning seq_id),
        moved as (
            update {schema}.mt_streams set version = $2 + cardinality($3::uuid[]), timestamp = now()
            where id = $1 and version = $2 and not is_archived and exists (select 1 from appended)
            returning version)
        select case when exists (select 1 from moved) then (select array_agg(seq_id order by seq_id) from appended)
                    else {schema}.{RefusalFunctionName}($1, $2) end
        """;

    private static NpgsqlBatchCommand Command(string call, ISerializer serializer, DateTimeOffset now, KnownStreamAppend append)
    {
        var events = append.Events;
        var count = events.Count;
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

        return new NpgsqlBatchCommand(call)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = append.StreamId, NpgsqlDbType = NpgsqlDbType.Uuid },
                new NpgsqlParameter<long> { TypedValue = append.ExpectedVersion, NpgsqlDbType = NpgsqlDbType.Bigint },
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
