using JasperFx.Events;
using JasperFx.Events.Daemon;

namespace EventStore.Api.DeadLetters;

/// <summary>
/// The dead-letter policy for event subscriptions (the integration-event relay, the Elasticsearch indexer): handle
/// each event on its own; retry a transient failure with backoff, and if it persists let it escape so the daemon
/// pauses the subscription and restarts it at the same page later (at least once); dead-letter an event that fails
/// for a reason of its own through Marten's <see cref="ISubscriptionController.RecordDeadLetterEventAsync"/> (the same
/// `mt_doc_deadletterevent` table as projections, with a message free of personal data) and carry on with the next.
/// </summary>
public static class SubscriptionDeadLetters
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    public static async Task ForEachAsync(IReadOnlyList<IEvent> events, ISubscriptionController controller, ILogger logger,
        Func<IEvent, Task> handle, CancellationToken ct, ProjectionMetrics? metrics = null, string? subscription = null)
    {
        foreach (var e in events)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await handle(e);
                    break;
                }
                catch (Exception failure) when (!ct.IsCancellationRequested)
                {
                    var kind = ProjectionFailures.Classify(failure);
                    if (kind == FailureKind.Transient && attempt < Backoff.Length)
                    {
                        await Task.Delay(Backoff[attempt], ct);
                        continue;
                    }

                    if (kind != FailureKind.Poison)
                    {
                        throw; // transient for too long, or not the event's fault: the daemon pauses and retries the page
                    }

                    var description = ProjectionFailures.Describe(failure);
                    logger.LogError("Subscription cannot process event {Sequence} ({EventType}): {Failure}. Dead-lettered and skipped",
                        e.Sequence, e.EventTypeName, description);
                    await controller.RecordDeadLetterEventAsync(e, new DeadLetteredException(description, failure.GetType().Name));
                    if (subscription is not null)
                    {
                        metrics?.DeadLettered(subscription, "subscription");
                    }

                    break;
                }
            }
        }
    }
}
