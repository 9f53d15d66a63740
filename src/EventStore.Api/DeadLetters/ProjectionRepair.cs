using System.Collections.Concurrent;
using EventStore.Api.Database;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;

namespace EventStore.Api.DeadLetters;

/// <summary>How an isolation run ended.</summary>
public enum IsolationOutcome
{
    /// <summary>The poison event was dead-lettered and the projection's position moved past it.</summary>
    DeadLettered,

    /// <summary>Every event of the page applied on its own: the position moved past them, nothing to dead-letter.</summary>
    AppliedAll,

    /// <summary>Someone else (the restarted agent, another isolation) moved the position first: nothing done.</summary>
    Moved,

    /// <summary>Still failing after the retries, or a failure no event caused: the projection stays stopped.</summary>
    GaveUp,

    /// <summary>The shard is not a projection of this store (a subscription handles its own events).</summary>
    NotAProjection,
}

/// <summary>
/// Our own part of the dead-letter policy, where Marten's does not reach. Marten 9 already skips and dead-letters an
/// event whose projection code throws (<c>Projections.Errors.SkipApplyErrors</c>), but when the batch of a page fails
/// while being WRITTEN (a value PostgreSQL refuses, a constraint), the daemon pauses the shard, restarts it a few
/// seconds later, fails on the same page again, forever. This finds the one event that fails: it re-applies the page
/// event by event through the projection's inline form, each event in its own transaction together with the
/// projection's position (compare-and-set on <c>mt_event_progression</c>, so a concurrently restarted agent and this
/// never both apply an event). The first event that fails for a reason of its own is recorded as a
/// <see cref="DeadLetterEvent"/> in that same transaction and the position moves past it; the daemon's agent then
/// resumes with the events after it. Replaying a dead letter after a fix goes the same way, without moving the position.
/// </summary>
public sealed class ProjectionRepair(
    IDocumentStore store, PostgresConnectionSource postgres, ProjectionMetrics metrics, TimeProvider clock, ILogger<ProjectionRepair> logger)
{
    private const string Progression = StoreSchema.Name + ".mt_event_progression";
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Finds, dead-letters and skips the event after <paramref name="position"/> that breaks <paramref name="shard"/>.</summary>
    public async Task<IsolationOutcome> IsolateAsync(ShardName shard, long position, CancellationToken ct)
    {
        if (Source(shard.Name) is not { } source)
        {
            return IsolationOutcome.NotAProjection;
        }

        var gate = _locks.GetOrAdd(shard.Identity, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var inline = source.BuildForInline();
            var expected = position;
            foreach (var e in await PendingEventsAsync(source, position, ct))
            {
                var (applied, failure) = await WithRetriesAsync(() => ApplyAsync(shard, inline, [Action(e)], expected, e.Sequence, null, ct), ct);
                if (applied is false)
                {
                    return IsolationOutcome.Moved;
                }

                if (failure is null)
                {
                    expected = e.Sequence;
                    continue;
                }

                var kind = ProjectionFailures.Classify(failure);
                if (kind != FailureKind.Poison)
                {
                    logger.LogError("Projection {Shard} fails on event {Sequence} for a reason that is not the event's ({Failure}); "
                        + "it stays stopped until that is fixed", shard.Identity, e.Sequence, ProjectionFailures.Describe(failure));
                    return IsolationOutcome.GaveUp;
                }

                if (!await DeadLetterAsync(shard, e, failure, expected, ct))
                {
                    return IsolationOutcome.Moved;
                }

                return IsolationOutcome.DeadLettered;
            }

            return IsolationOutcome.AppliedAll;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Applies a dead-lettered event again (after a fix) and deletes its dead letter in the same transaction. For a
    /// single-stream aggregate the document is rebuilt from its stream up to the projection's position, so events of
    /// that stream processed while the dead letter waited are not lost. Returns null on success, or why it failed.
    /// </summary>
    public async Task<string?> ReplayAsync(DeadLetter letter, CancellationToken ct)
    {
        if (Source(letter.Projection) is not { } source)
        {
            return "Not a projection: replay a subscription with replayDeadLetters, which rewinds it.";
        }

        var shard = ShardName.Compose(letter.Projection, string.IsNullOrEmpty(letter.Shard) ? ShardName.All : letter.Shard);
        var gate = _locks.GetOrAdd(shard.Identity, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var query = store.QuerySession();
            var e = await query.Events.QueryAllRawEvents().Where(x => x.Sequence == letter.Sequence).SingleOrDefaultAsync(ct);
            if (e is null)
            {
                return "The event no longer exists.";
            }

            IReadOnlyList<IEvent> events = [e];
            if (IsSingleStream(source.GetType()))
            {
                var position = await PositionAsync(shard, ct);
                events = await query.Events.QueryAllRawEvents()
                    .Where(x => x.StreamId == e.StreamId && x.Sequence <= Math.Max(position, e.Sequence))
                    .OrderBy(x => x.Version).ToListAsync(ct);
            }

            var (applied, failure) = await WithRetriesAsync(
                () => ApplyAsync(shard, source.BuildForInline(), [Action(events)], null, null, letter.Id, ct), ct);
            if (failure is not null || applied is not true)
            {
                return failure is null ? "The projection moved on; try again." : ProjectionFailures.Describe(failure);
            }

            metrics.Replayed(letter.Projection);
            logger.LogWarning("Dead letter {Id} (projection {Projection}, event {Sequence}) replayed", letter.Id, letter.Projection, letter.Sequence);
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    public IProjectionSource<IDocumentOperations, IQuerySession>? Source(string name) =>
        ((StoreOptions)store.Options).Projections.All.FirstOrDefault(p => p.Name == name && p.Lifecycle == ProjectionLifecycle.Async);

    /// <summary>
    /// One transaction: lock the shard's position row (and check it is still <paramref name="expected"/>, when given),
    /// apply the events through the projection, move the position to <paramref name="advanceTo"/> (when given), delete
    /// a dead letter (when given). Returns (false, null) if the position moved; (true, exception) if the apply failed.
    /// </summary>
    private async Task<(bool? Applied, Exception? Failure)> ApplyAsync(ShardName shard, IInlineProjection<IDocumentOperations> inline,
        IReadOnlyList<StreamAction> actions, long? expected, long? advanceTo, Guid? deadLetter, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await LockPositionAsync(connection, transaction, shard, expected, ct))
        {
            return (false, null);
        }

        try
        {
            await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
            {
                await inline.ApplyAsync(session, actions, ct);
                if (deadLetter is { } id)
                {
                    session.Delete<DeadLetterEvent>(id);
                }

                await session.SaveChangesAsync(ct);
            }

            if (advanceTo is { } sequence)
            {
                await AdvanceAsync(connection, transaction, shard, sequence, ct);
            }

            await transaction.CommitAsync(ct);
            return (true, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return (true, e);
        }
    }

    /// <summary>Records the dead letter and moves the position past the event, in one transaction; false if the position moved.</summary>
    private async Task<bool> DeadLetterAsync(ShardName shard, IEvent e, Exception failure, long expected, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await LockPositionAsync(connection, transaction, shard, expected, ct))
        {
            return false;
        }

        var description = ProjectionFailures.Describe(failure);
        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            // A rebuild meets the same event again: keep one dead letter per projection, shard and event.
            var existing = await session.Query<DeadLetterEvent>()
                .Where(x => x.ProjectionName == shard.Name && x.ShardName == shard.ShardKey && x.EventSequence == e.Sequence)
                .FirstOrDefaultAsync(ct);
            var letter = existing ?? new DeadLetterEvent { Id = Guid.CreateVersion7(), ProjectionName = shard.Name, ShardName = shard.ShardKey };
            letter.EventSequence = e.Sequence;
            letter.TenantId = e.TenantId;
            letter.Timestamp = clock.GetUtcNow();
            letter.ExceptionMessage = description;
            letter.ExceptionType = failure.GetType().Name;
            session.Store(letter);
            await session.SaveChangesAsync(ct);
        }

        await AdvanceAsync(connection, transaction, shard, e.Sequence, ct);
        await transaction.CommitAsync(ct);
        metrics.DeadLettered(shard.Name, "write");
        logger.LogError("Projection {Shard} cannot write event {Sequence} ({EventType}, stream {StreamId}): {Failure}. The event is "
            + "dead-lettered and skipped; fix the cause, then replayDeadLetters", shard.Identity, e.Sequence, e.EventTypeName, e.StreamId, description);
        return true;
    }

    private async Task<(bool? Applied, Exception? Failure)> WithRetriesAsync(Func<Task<(bool? Applied, Exception? Failure)>> attempt,
        CancellationToken ct)
    {
        for (var i = 0; ; i++)
        {
            var result = await attempt();
            if (result.Failure is null || i == Backoff.Length || ProjectionFailures.Classify(result.Failure) != FailureKind.Transient)
            {
                return result;
            }

            logger.LogWarning("Transient failure while repairing a projection ({Failure}); retrying in {Delay}",
                ProjectionFailures.Describe(result.Failure), Backoff[i]);
            await Task.Delay(Backoff[i], clock, ct);
        }
    }

    private static async Task<bool> LockPositionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ShardName shard,
        long? expected, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            $"insert into {Progression} (name, last_seq_id) values (@name, 0) on conflict (name) do nothing", connection, transaction);
        insert.Parameters.AddWithValue("name", shard.Identity);
        await insert.ExecuteNonQueryAsync(ct);
        await using var select = new NpgsqlCommand($"select last_seq_id from {Progression} where name = @name for update", connection, transaction);
        select.Parameters.AddWithValue("name", shard.Identity);
        var current = (long)(await select.ExecuteScalarAsync(ct))!;
        return expected is null || current == expected;
    }

    private static async Task AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ShardName shard, long sequence,
        CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            $"update {Progression} set last_seq_id = @sequence, last_updated = transaction_timestamp() where name = @name", connection, transaction);
        update.Parameters.AddWithValue("name", shard.Identity);
        update.Parameters.AddWithValue("sequence", sequence);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The shard's committed position (0 before its first batch).</summary>
    public async Task<long> PositionAsync(ShardName shard, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var select = new NpgsqlCommand($"select last_seq_id from {Progression} where name = @name", connection);
        select.Parameters.AddWithValue("name", shard.Identity);
        return await select.ExecuteScalarAsync(ct) is long position ? position : 0;
    }

    /// <summary>The events the daemon would hand the projection after <paramref name="position"/>: one page, committed ones only.</summary>
    private async Task<IReadOnlyList<IEvent>> PendingEventsAsync(IProjectionSource<IDocumentOperations, IQuerySession> source, long position,
        CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var highWaterMark = await session.QueryAsync<long>(
            $"select coalesce(max(last_seq_id), 0) from {Progression} where name = 'HighWaterMark'", ct);
        var mark = highWaterMark.Count > 0 ? highWaterMark[0] : 0;
        var query = session.Events.QueryAllRawEvents().Where(x => x.Sequence > position && x.Sequence <= mark);
        if (source is EventFilterable { IncludedEventTypes.Count: > 0 } filter && filter.IncludedEventTypes.All(t => !t.IsAbstract && !t.IsInterface))
        {
            var types = filter.IncludedEventTypes.ToArray();
            query = query.Where(x => x.EventTypesAre(types));
        }

        return await query.OrderBy(x => x.Sequence).Take(source.Options.BatchSize).ToListAsync(ct);
    }

    private static StreamAction Action(IEvent e) => Action([e]);

    private static StreamAction Action(IReadOnlyList<IEvent> events)
    {
        var action = StreamAction.For(events[0].StreamId, events);
        action.TenantId = events[0].TenantId;
        return action;
    }

    private static bool IsSingleStream(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(JasperFxSingleStreamProjectionBase<,,,>))
            {
                return true;
            }
        }

        return false;
    }
}
