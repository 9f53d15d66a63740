using EventStore.Domain.Commits;
using JasperFx.Events;
using Marten;
using Marten.Services;

namespace EventStore.Api.Telemetry;

/// <summary>
/// Counts the events of every committed Marten session and of every batch the group committer appended on its own
/// (<see cref="KnownStreamAppender"/>, which Marten's listeners do not hear): `eventstore.events.appended`, by event type.
/// </summary>
public sealed class EventsAppendedListener : DocumentSessionListenerBase
{
    private readonly ApiMetrics _metrics;

    public EventsAppendedListener(ApiMetrics metrics, KnownStreamAppender appender)
    {
        _metrics = metrics;
        appender.OnAppended(Count);
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        Count(commit.GetEvents());
        return Task.CompletedTask;
    }

    private void Count(IEnumerable<IEvent> events)
    {
        foreach (var group in events.GroupBy(e => e.EventTypeName))
        {
            _metrics.EventsAppended(group.Key, group.Count());
        }
    }
}
