using Marten;
using Marten.Services;

namespace EventStore.Api.Telemetry;

/// <summary>Counts the events of every committed Marten session (`eventstore.events.appended`, by event type).</summary>
public sealed class EventsAppendedListener(ApiMetrics metrics) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var group in commit.GetEvents().GroupBy(e => e.EventTypeName))
        {
            metrics.EventsAppended(group.Key, group.Count());
        }

        return Task.CompletedTask;
    }
}
