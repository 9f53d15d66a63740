using System.Collections.Concurrent;
using System.Diagnostics;
using EventStore.Domain.Auditing;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services.BatchQuerying;
using Microsoft.Extensions.Logging;

namespace EventStore.Domain.Commits;

/// <summary>
/// Group commit for commands that each decide on one stream of <typeparamref name="T"/>: the commands waiting at the same
/// moment on this node are loaded in one batch, decided one by one, and appended in one transaction, so that N commands
/// cost the database one load, one append batch and one commit instead of N of each (docs/performance.md).
/// <list type="bullet">
/// <item>Each caller's task completes only after the shared commit, with its own answer or its own refusal.</item>
/// <item>A batch holds at most one command per stream; a second command on the same stream waits for the next batch, where
/// it decides on the state the first one left.</item>
/// <item>Every event keeps its own command's audit metadata (<see cref="EventStamp"/>), not the batch's.</item>
/// <item>If the store refuses the shared commit (a stream moved on behind this node, a stream started twice), nothing of the
/// batch is stored, and each command is committed again on its own: a loser's exception reaches its caller (whose retry
/// policy decides again), and the others are not lost with it. Any other failure leaves the outcome unknown (the commit
/// may have reached the server), so it is never tried again: every caller of the batch gets it.</item>
/// </list>
/// No caller waits for a dedicated thread: the first caller to find the committer idle commits whatever is waiting,
/// its own command included, and hands the turn to the thread pool if more commands arrived meanwhile.
/// <para>
/// The committer remembers each stream it committed: the state its decision left and the stream's version. The next
/// command on that stream is decided on that state without loading it, and appended with that version as its expected
/// version, so the database still decides: if anything else appended to the stream meanwhile, the commit is refused
/// and the commands are decided again on fresh state, as above. It works in one long-lived Marten session, whose
/// identity map holds the same write models, so that an inline snapshot (Marten applies the events to it at commit) is
/// not read either. A snapshot the daemon keeps (<see cref="SnapshotLifecycle.Async"/>) is not written by the commit at
/// all, and Marten loads it only one stream per batch, so the streams not remembered are then loaded one by one. Appends
/// by other sessions of this node make it forget those streams at once (<see cref="StreamAppendWatch"/>); any failure
/// makes it forget everything and start a new session.
/// </para>
/// <para>
/// A batch whose streams are all remembered does not go through the session at all: <see cref="KnownStreamAppender"/>
/// appends it with the same expected versions in one round trip, its commit included (when T's snapshot is the daemon's
/// and no inline projection reads the events). Either way the streams of a batch are written in the order of their ids.
/// </para>
/// </summary>
public sealed class GroupCommitter<T> where T : class
{
    private static readonly string Aggregate = typeof(T).Name;
    private static readonly string SpanName = $"group commit {typeof(T).Name}";

    /// <summary>The most commands one transaction takes.</summary>
    public const int MaxBatch = 64;

    /// <summary>Streams remembered (and loaded into one session) before the session and the memory start afresh.</summary>
    public const int MaxRemembered = 10_000;

    private readonly IDocumentStore _store;
    private readonly GroupCommitTelemetry _telemetry;
    private readonly ILogger<GroupCommitter<T>> _logger;
    private readonly object _gate = new();
    private readonly List<Pending> _waiting = [];
    private bool _committing;

    // Touched only on the committer's turn (one at a time), except _known, which StreamAppendWatch trims from other threads.
    private readonly ConcurrentDictionary<Guid, Known> _known = new();
    private IDocumentSession? _session;

    // True when the daemon keeps T's snapshot (SnapshotLifecycle.Async): the streams not remembered are loaded one by one.
    private readonly bool _loadsAlone;

    // Streams the session has loaded or started: its identity map holds them. A stream in it that the committer no
    // longer remembers (another session appended to it, or its last decision was refused) may be stale there, and
    // Marten's load would hand back that instance beside the stream's new version: the session is replaced first. The
    // session is also replaced after any failure, and once it holds MaxRemembered streams.
    private readonly HashSet<Guid> _inSession = [];

    // Streams another writer moved on behind what this committer remembered (a refused shared commit), until the tick
    // count given: committed in a session of their own, read every time and never remembered, so that an account two nodes
    // both write (a client alternating between them) does not fail every group it is in.
    private readonly Dictionary<Guid, long> _contested = [];
    private readonly List<Guid> _fromMemory = [];

    /// <summary>How long a stream found moved on elsewhere is read before every command instead of remembered.</summary>
    public static readonly TimeSpan ContestedFor = TimeSpan.FromSeconds(30);

    public GroupCommitter(IDocumentStore store, StreamAppendWatch appends, KnownStreamAppender appender, GroupCommitTelemetry telemetry,
        ILogger<GroupCommitter<T>> logger)
    {
        _store = store;
        _telemetry = telemetry;
        _logger = logger;
        var projections = ((StoreOptions)store.Options).Projections.All;
        _loadsAlone = projections.Any(p => p.Lifecycle == ProjectionLifecycle.Async && p.PublishedTypes().Contains(typeof(T)));
        _inline = InlineEventTypes(projections);
        _appender = _loadsAlone && _inline is not null && KnownStreamAppender.Writes((StoreOptions)store.Options) ? appender : null;
        appends.Watch(Forget);
    }

    // The appender of remembered streams (one round trip), when T's snapshot is the daemon's (an inline one lives in the
    // session's identity map, which Marten updates at its commit) and inline projections name their event types.
    private readonly KnownStreamAppender? _appender;

    // The event types an inline projection reads (or their base types), or null when one reads every type: appends of
    // such events go through Marten, which runs the projection in the transaction.
    private readonly HashSet<Type>? _inline;

    private static HashSet<Type>? InlineEventTypes(IEnumerable<IProjectionSource<IDocumentOperations, IQuerySession>> projections)
    {
        var types = new HashSet<Type>();
        foreach (var projection in projections.Where(p => p.Lifecycle == ProjectionLifecycle.Inline))
        {
            if (projection is not EventFilterable { IncludedEventTypes.Count: > 0 } filtered)
            {
                return null;
            }

            types.UnionWith(filtered.IncludedEventTypes);
        }

        return types;
    }

    /// <summary>Streams whose state and version the next command will be decided on without a load (tests, diagnostics).</summary>
    public int Remembered => _known.Count;

    /// <summary>
    /// Decides <paramref name="decide"/> on the stream's current state and commits its events with the others waiting.
    /// <paramref name="decide"/> runs once per attempt, on the committer's turn; it must be pure (the state and the
    /// command are its inputs) and must not change the state it is given. It throws to refuse: nothing is appended.
    /// </summary>
    public Task<TAnswer> CommitAsync<TAnswer>(Guid streamId, EventStamp stamp, Func<T?, Decision<T, TAnswer>> decide)
    {
        var pending = new Pending<TAnswer>(streamId, stamp, Activity.Current?.Context ?? default, decide);
        bool lead;
        lock (_gate)
        {
            _waiting.Add(pending);
            lead = !_committing;
            _committing = true;
        }

        return lead ? LeadThenAnswerAsync(pending) : pending.Answer;
    }

    /// <summary>
    /// The leading caller's own answer is complete when its turn returns, so it continues on the turn's thread instead of
    /// being queued to the thread pool like the others' (one wake-up less per command when commands come one by one).
    /// </summary>
    private async Task<TAnswer> LeadThenAnswerAsync<TAnswer>(Pending<TAnswer> own)
    {
        await LeadAsync(own).ConfigureAwait(false);
        return await own.Answer.ConfigureAwait(false);
    }

    /// <summary>Commits batches until nothing waits, or until its own caller is answered (then the thread pool goes on).</summary>
    private async Task LeadAsync(Pending? own)
    {
        List<Pending>? batch = null;
        try
        {
            while ((batch = Take()) is not null)
            {
                await CommitBatchAsync(batch).ConfigureAwait(false);
                if (own is { IsAnswered: true })
                {
                    if (HandOver())
                    {
                        _ = Task.Run(() => LeadAsync(null));
                    }

                    return;
                }
            }
        }
        catch (Exception e)
        {
            // A fault of the committer itself (every command's own fault is its caller's): no caller may wait for ever.
            try
            {
                Restart();
                _logger.LogCritical(e, "The group committer of {Type} failed; the commands waiting on it are failed.", typeof(T).Name);
                foreach (var pending in batch ?? [])
                {
                    pending.Fail(e);
                }
            }
            finally
            {
                FailAll(e);
            }
        }
    }

    private void FailAll(Exception e)
    {
        List<Pending> waiting;
        lock (_gate)
        {
            waiting = [.. _waiting];
            _waiting.Clear();
            _committing = false;
        }

        foreach (var pending in waiting)
        {
            pending.Fail(e);
        }
    }

    /// <summary>The next batch (one command per stream, in arrival order), or null when nothing waits: the turn ends.</summary>
    private List<Pending>? Take()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _committing = false;
                return null;
            }

            var batch = new List<Pending>(Math.Min(_waiting.Count, MaxBatch));
            var streams = new HashSet<Guid>();
            var left = 0;
            for (var i = 0; i < _waiting.Count; i++)
            {
                var pending = _waiting[i];
                if (batch.Count < MaxBatch && streams.Add(pending.StreamId))
                {
                    batch.Add(pending);
                }
                else
                {
                    _waiting[left++] = pending;
                }
            }

            _waiting.RemoveRange(left, _waiting.Count - left);
            return batch;
        }
    }

    /// <summary>True when commands are waiting and the turn must go on; false when the committer is idle again.</summary>
    private bool HandOver()
    {
        lock (_gate)
        {
            if (_waiting.Count > 0)
            {
                return true;
            }

            _committing = false;
            return false;
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch)
    {
        var contested = _contested.Count == 0 ? [] : batch.Where(p => IsContested(p.StreamId)).ToList();
        if (contested.Count > 0 && contested.Count < batch.Count)
        {
            // Two transactions: the remembered streams in the committer's session, the contested ones in one of their own.
            await CommitBatchAsync([.. batch.Where(p => !contested.Contains(p))]).ConfigureAwait(false);
            await CommitBatchAsync(contested).ConfigureAwait(false);
            return;
        }

        var remember = contested.Count == 0;
        try
        {
            var outcome = await TryCommitAsync(batch, remember).ConfigureAwait(false);
            Record(batch.Count, shared: true);
            Answer(outcome);
        }
        catch (Exception e) when (StoreConflicts.TranslateThrown(e) is not null)
        {
            // The store refused the transaction (a version, a stream or a document raced, or a stream this committer
            // remembered moved on elsewhere): it rolled back whole, so each command can be decided again on fresh state
            // and committed alone, and only the real loser gets the refusal. The streams it decided from memory are read
            // before every command for a while: one of them was written elsewhere, and may well be again.
            foreach (var stream in _fromMemory)
            {
                Contest(stream);
            }

            Restart();
            _logger.LogDebug(e, "A group commit of {Count} commands on {Type} failed; each is committed on its own.", batch.Count, Aggregate);
            Record(batch.Count, shared: false);
            foreach (var pending in batch.Where(p => !p.IsAnswered))
            {
                try
                {
                    Answer(await TryCommitAsync([pending], remember: !IsContested(pending.StreamId)).ConfigureAwait(false));
                }
                catch (Exception alone)
                {
                    Restart();
                    pending.Fail(alone);
                }
            }
        }
        catch (Exception e)
        {
            // Anything else (the connection lost, PostgreSQL restarting) may have happened after the commit reached the
            // server: the outcome is unknown, so nothing is tried again, and every caller gets the fault, as a command
            // committed alone would (not acknowledged: it may or may not have taken effect, never twice).
            Restart();
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }
        }
    }

    /// <summary>
    /// Answers the committed commands, and puts those refused on a remembered state back first in line: their next
    /// turn reads the stream and decides again (see <see cref="TryCommitAsync"/>).
    /// </summary>
    private void Answer(Outcome outcome)
    {
        foreach (var pending in outcome.Committed)
        {
            pending.Succeed();
        }

        if (outcome.Recheck.Count > 0)
        {
            lock (_gate)
            {
                _waiting.InsertRange(0, outcome.Recheck);
            }
        }
    }

    /// <summary>Telemetry never decides a command's answer: the commit has happened (or not) whatever it throws.</summary>
    private void Record(int commands, bool shared)
    {
        try
        {
            _telemetry.Committed(Aggregate, commands, shared);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Recording a group commit of {Type} failed.", Aggregate);
        }
    }

    /// <param name="Committed">Committed: their callers are answered with what their decision gave.</param>
    /// <param name="Recheck">Refused on the state this committer remembered: decided again after a read.</param>
    private sealed record Outcome(List<Pending> Committed, List<Pending> Recheck);

    /// <summary>
    /// Loads what it does not remember, decides, and commits; returns the commands that committed and those to decide
    /// again (their callers are not answered yet). A refusal on a stream read just now is answered here. Throws what the
    /// load or the commit threw: the caller then forgets everything (<see cref="Restart"/>).
    /// </summary>
    private async Task<Outcome> TryCommitAsync(IReadOnlyList<Pending> batch, bool remember)
    {
        // Under the span of the caller that leads the turn, linked to every command's own span: a trace of a command
        // committed by another caller's turn still leads to the transaction that stored it.
        using var activity = GroupCommitTelemetry.ActivitySource.StartActivity(ActivityKind.Internal, links: Links(batch),
            name: SpanName);
        activity?.SetTag("eventstore.group_commit.commands", batch.Count);
        _fromMemory.Clear();
        // In the order of the stream ids, on either path (KnownStreamAppender's order): two transactions writing the same
        // streams take them in one order, so neither waits for the other in a cycle.
        batch = [.. batch.OrderBy(p => p.StreamId)];
        var known = new Known?[batch.Count];
        IDocumentSession session;
        var contested = remember ? null : _store.LightweightSession();
        using var disposal = new QuietDisposal(contested, _logger); // a commit is never turned into a fault by it
        if (contested is not null)
        {
            session = contested; // read everything, remember nothing
        }
        else
        {
            // What it remembers, read once: StreamAppendWatch may forget a stream meanwhile, and then the commit is
            // refused on its version if it did move on.
            var reload = false;
            for (var i = 0; i < batch.Count; i++)
            {
                known[i] = _known.TryGetValue(batch[i].StreamId, out var remembered) ? remembered : null;
                reload |= known[i] is null && _inSession.Contains(batch[i].StreamId);
            }

            if (reload || _inSession.Count > MaxRemembered)
            {
                Restart();
                Array.Clear(known);
            }

            session = _session ??= _store.LightweightSession();
        }

        var fetches = new Task<IEventStream<T>>?[batch.Count];
        IBatchedQuery? query = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (known[i] is null)
            {
                if (_loadsAlone)
                {
                    // Marten reads an async snapshot and the events after it in a read-only transaction of their own,
                    // which it takes only as the first thing in a batch: one round trip per stream not remembered.
                    fetches[i] = session.Events.FetchForWriting<T>(batch[i].StreamId);
                    await fetches[i]!.ConfigureAwait(false);
                }
                else
                {
                    // FetchForWriting inside the batch: the row and the version, and the aggregate into the session's identity map.
                    query ??= session.CreateBatchQuery();
                    fetches[i] = query.Events.FetchForWriting<T>(batch[i].StreamId);
                }

                if (remember)
                {
                    _inSession.Add(batch[i].StreamId);
                }
            }
        }

        if (query is not null)
        {
            await query.Execute().ConfigureAwait(false);
        }

        activity?.SetTag("eventstore.group_commit.loaded", fetches.Count(f => f is not null));
        var decided = new List<(Pending Pending, Known After)>(batch.Count);
        var recheck = new List<Pending>();
        var appends = new List<KnownStreamAppend>(batch.Count);
        var throughMarten = new List<Action>(batch.Count); // in the batch's order (by stream id), when Marten commits it
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            var stream = fetches[i] is { } fetch ? await fetch.ConfigureAwait(false) : null;
            var (state, version) = stream is null ? (known[i]!.State, known[i]!.Version) : (stream.Aggregate, stream.CurrentVersion ?? 0);
            var accepted = pending.TryDecide(state, out var events, out var after, out var refusal);
            if (stream is null && (!accepted || events.Count == 0))
            {
                // Refused (or nothing to append) on what this committer remembers, which nothing checks when nothing is
                // appended: another node's deposit may be missing from it. Forgotten, and decided again on the stream
                // as stored.
                _known.TryRemove(pending.StreamId, out _);
                recheck.Add(pending);
                continue;
            }

            if (!accepted)
            {
                pending.Fail(refusal);
                continue;
            }

            if (events.Count > 0)
            {
                var stamped = new IEvent[events.Count];
                for (var j = 0; j < events.Count; j++)
                {
                    stamped[j] = pending.Stamp.Apply(session.Events.BuildEvent(events[j]));
                }

                if (stream is not null)
                {
                    throughMarten.Add(() => stream.AppendMany(stamped));
                }
                else
                {
                    // Expected version: the stream as this committer left it. Anything appended since fails the commit.
                    var append = new KnownStreamAppend(pending.StreamId, typeof(T), version, stamped);
                    appends.Add(append);
                    throughMarten.Add(() => session.Events.Append(append.StreamId, append.ExpectedVersion + append.Events.Count, append.Events));
                    _fromMemory.Add(pending.StreamId);
                }
            }

            decided.Add((pending, new Known(after, version + events.Count)));
        }

        if (decided.Count > 0)
        {
            if (AppendsAlone(fetches, appends, remember))
            {
                await _appender!.AppendAsync(_store, appends).ConfigureAwait(false);
            }
            else
            {
                foreach (var append in throughMarten)
                {
                    append();
                }

                await session.SaveChangesAsync().ConfigureAwait(false);
            }
        }

        foreach (var (pending, after) in decided)
        {
            if (remember && after.State is not null)
            {
                _known[pending.StreamId] = after;
            }
        }

        return new Outcome([.. decided.Select(d => d.Pending)], recheck);
    }

    /// <summary>
    /// True when the batch's events can go in one round trip of their own (<see cref="KnownStreamAppender"/>): every
    /// stream of the batch was decided on what this committer remembers (nothing loaded into the session, so nothing of
    /// it waits to be written), and no inline projection reads any of the events (Marten would have to run it).
    /// </summary>
    private bool AppendsAlone(Task<IEventStream<T>>?[] fetches, List<KnownStreamAppend> appends, bool remember) =>
        _appender is not null && remember && appends.Count > 0 && Array.TrueForAll(fetches, f => f is null)
        && appends.TrueForAll(a => a.Events.All(e => !_inline!.Any(t => t.IsAssignableFrom(e.EventType))));

    /// <summary>
    /// Forgets every stream and drops the session: after any failure its identity map may hold states the database
    /// does not (Marten applies the events to them before the commit), and the outcome of the commit may be unknown.
    /// </summary>
    private void Restart()
    {
        var session = _session;
        _session = null;
        _inSession.Clear();
        _known.Clear();
        new QuietDisposal(session, _logger).Dispose();
    }

    private bool IsContested(Guid streamId)
    {
        if (!_contested.TryGetValue(streamId, out var until))
        {
            return false;
        }

        if (Stopwatch.GetTimestamp() < until)
        {
            return true;
        }

        _contested.Remove(streamId);
        return false;
    }

    private void Contest(Guid streamId)
    {
        var now = Stopwatch.GetTimestamp();
        if (_contested.Count >= MaxRemembered)
        {
            foreach (var expired in _contested.Where(c => c.Value <= now).Select(c => c.Key).ToList())
            {
                _contested.Remove(expired);
            }

            if (_contested.Count >= MaxRemembered)
            {
                _contested.Clear();
            }
        }

        _contested[streamId] = now + (long)(ContestedFor.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Another session of this node committed to <paramref name="streamId"/>: its next command loads it again.</summary>
    private void Forget(IDocumentSession committedBy, Guid streamId)
    {
        if (!ReferenceEquals(committedBy, Volatile.Read(ref _session)))
        {
            _known.TryRemove(streamId, out _);
        }
    }

    private static ActivityLink[]? Links(IReadOnlyList<Pending> batch)
    {
        if (!GroupCommitTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        return [.. batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller))];
    }

    /// <summary>Disposes a session of the committer's (it holds no connection between operations) and only logs a failure.</summary>
    private sealed class QuietDisposal(IDocumentSession? session, ILogger logger) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                session?.Dispose();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Disposing a group commit session of {Type} failed.", Aggregate);
            }
        }
    }

    /// <summary>A stream as this committer left it: the state its last decision gave, and the version after its events.</summary>
    private sealed record Known(T State, long Version);

    private abstract class Pending(Guid streamId, EventStamp stamp, ActivityContext caller)
    {
        public ActivityContext Caller { get; } = caller;

        public Guid StreamId { get; } = streamId;

        public EventStamp Stamp { get; } = stamp;

        public abstract bool IsAnswered { get; }

        /// <summary>False when the command refused (<paramref name="refusal"/>; its caller is not answered yet): nothing to append.</summary>
        public abstract bool TryDecide(T? state, out IReadOnlyList<object> events, out T after, out Exception refusal);

        public abstract void Succeed();

        public abstract void Fail(Exception e);
    }

    private sealed class Pending<TAnswer>(Guid streamId, EventStamp stamp, ActivityContext caller, Func<T?, Decision<T, TAnswer>> decide)
        : Pending(streamId, stamp, caller)
    {
        private readonly TaskCompletionSource<TAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TAnswer? _decided;

        public Task<TAnswer> Answer => _answer.Task;

        public override bool IsAnswered => _answer.Task.IsCompleted;

        public override bool TryDecide(T? state, out IReadOnlyList<object> events, out T after, out Exception refusal)
        {
            try
            {
                var decision = decide(state);
                _decided = decision.Answer;
                events = decision.Events;
                after = decision.State;
                refusal = null!;
                return true;
            }
            catch (Exception e)
            {
                events = [];
                after = null!;
                refusal = e;
                return false;
            }
        }

        public override void Succeed() => _answer.TrySetResult(_decided!);

        public override void Fail(Exception e) => _answer.TrySetException(e);
    }
}

/// <summary>
/// What a command decided: the events to append, the stream's state after them (a new object, never the one the decision
/// was given: the committer keeps it and decides the stream's next command on it), and the answer its caller gets once
/// they are committed.
/// </summary>
public readonly record struct Decision<TState, TAnswer>(IReadOnlyList<object> Events, TState State, TAnswer Answer);
