using Microsoft.Extensions.Options;

namespace EventStore.Api.Reconciliation;

/// <summary>
/// Runs the reconciliation every `Reconciliation:Interval`, counted from the end of the last run recorded anywhere in
/// the cluster (so restarts and several nodes do not multiply the runs), or from this node's start when none is
/// recorded. Every node runs this loop; the advisory lock and the due-check under it let one node run at a time.
/// A failed or refused (busy) attempt waits one interval before the next.
/// </summary>
public sealed class ScheduledReconciliation(
    ReconciliationRunner runner,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<ScheduledReconciliation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var started = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                var due = Due(await runner.LatestAsync(stoppingToken), started, interval);
                if (due > time.GetUtcNow())
                {
                    wait = due - time.GetUtcNow();
                }
                else
                {
                    var attempt = await runner.TryRunAsync(ReconciliationTrigger.Schedule,
                        latest => Due(latest, started, interval) <= time.GetUtcNow(), stoppingToken);
                    // After a run (or another node's), the next due time comes from the record; after a busy lock, wait.
                    wait = attempt.Busy ? interval : TimeSpan.Zero;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong (database away, a projection that throws), the app keeps serving: a background
                // service that throws would stop the host.
                logger.LogWarning(e, "Scheduled read-model reconciliation could not run; next attempt in {Interval}", interval);
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }
        }
    }

    private static DateTimeOffset Due(ReconciliationRecord? latest, DateTimeOffset started, TimeSpan interval) =>
        (latest?.FinishedAt ?? started) + interval;
}
