using System.Collections.Concurrent;
using System.Threading.Channels;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Api.DeadLetters;

/// <summary>Shards this node found stopped by a failure that is not an event's (or that isolation could not resolve).</summary>
public sealed class ProjectionFailureLog
{
    private readonly ConcurrentDictionary<string, string> _stopped = new(StringComparer.Ordinal);

    public string? StoppedBy(string shardIdentity) => _stopped.GetValueOrDefault(shardIdentity);

    public void Stop(string shardIdentity, string description) => _stopped[shardIdentity] = description;

    public void Clear(string shardIdentity) => _stopped.TryRemove(shardIdentity, out _);
}

/// <summary>
/// Watches the daemon's shard states (Marten's <see cref="ShardStateTracker"/>, in memory: no polling). When a
/// projection pauses on a failure that is not transient (Marten retries those itself: its write pipeline retries a
/// commit, and its coordinator restarts a paused shard every few seconds), <see cref="ProjectionRepair"/> finds the
/// event that breaks it, dead-letters it, and the shard is restarted at once after it. A failure no event caused (a
/// missing table) is left alone and reported as STOPPED by readiness and the `projections` query.
/// </summary>
public sealed class ProjectionSupervisor(
    IDocumentStore store, ProjectionRepair repair, ProjectionStatusReader status, ProjectionFailureLog failures,
    ILogger<ProjectionSupervisor> logger) : BackgroundService
{
    public static readonly TimeSpan MetricsInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failed = Channel.CreateUnbounded<ShardState>(new UnboundedChannelOptions { SingleReader = true });
        var tracker = ((IEventDatabase)store.Storage.Database).Tracker;
        using var subscription = tracker.Subscribe(new Observer(failed.Writer, failures));
        var metrics = RefreshMetricsAsync(stoppingToken);
        try
        {
            await foreach (var state in failed.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(state, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Could not handle the failure of projection {Shard}", state.ShardName);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await metrics;
    }

    private async Task HandleAsync(ShardState state, CancellationToken ct)
    {
        if (!ShardName.TryParse(state.ShardName, out var shard) || shard is null || state.Exception is not { } exception)
        {
            return;
        }

        if (exception is ProgressionProgressOutOfOrderException)
        {
            // Its position moved under it (an isolation or replay committed first): start it again from there.
            await RestartAsync(shard, ct);
            return;
        }

        var kind = ProjectionFailures.Classify(exception);
        if (kind == FailureKind.Transient)
        {
            logger.LogWarning("Projection {Shard} paused on a transient failure ({Failure}); the daemon restarts it",
                shard.Identity, ProjectionFailures.Describe(exception));
            return;
        }

        var outcome = await repair.IsolateAsync(shard, state.Sequence, ct);
        switch (outcome)
        {
            case IsolationOutcome.DeadLettered or IsolationOutcome.AppliedAll or IsolationOutcome.Moved:
                failures.Clear(shard.Identity);
                await RestartAsync(shard, ct);
                break;
            case IsolationOutcome.NotAProjection when kind == FailureKind.Poison:
                // A subscription that let an event's failure escape (ours dead-letter per event, SubscriptionDeadLetters):
                // the daemon retries it; say so until it moves on.
                failures.Stop(shard.Identity, ProjectionFailures.Describe(exception) + " (subscription retried by the daemon)");
                break;
            default:
                failures.Stop(shard.Identity, ProjectionFailures.Describe(exception));
                break;
        }
    }

    private async Task RestartAsync(ShardName shard, CancellationToken ct)
    {
        if (status.Daemon() is not { } daemon || daemon.IsRebuilding(shard))
        {
            return; // another node's agent, or the rebuild in progress, carries on by itself
        }

        try
        {
            await daemon.StartAgentAsync(shard.Identity, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The coordinator restarts a paused agent by itself a few seconds later.
            logger.LogInformation(e, "Projection {Shard} not restarted now; the daemon's coordinator will", shard.Identity);
        }
    }

    private async Task RefreshMetricsAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(MetricsInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await status.ReadAsync(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogDebug(e, "Projection metrics not refreshed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Observer(ChannelWriter<ShardState> failed, ProjectionFailureLog failures) : IObserver<ShardState>
    {
        public void OnNext(ShardState value)
        {
            if (value.Action is ShardAction.Paused or ShardAction.Stopped && value.Exception is not null)
            {
                failed.TryWrite(value);
            }
            else if (value.Action == ShardAction.Updated)
            {
                failures.Clear(value.ShardName); // it moves again
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
