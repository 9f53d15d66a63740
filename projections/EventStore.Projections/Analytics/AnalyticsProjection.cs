using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace EventStore.Projections.Analytics;

/// <summary>
/// What the `analytics` projections share: a name, the events they read, the keyed pseudonyms, and the tables a rebuild
/// empties before replaying the log. Each writes with plain SQL in the daemon's transaction (facts insert-if-absent,
/// then the touched daily rows recomputed), so processing an event twice changes nothing.
/// </summary>
public abstract class AnalyticsProjection : JasperFx.Events.Projections.ProjectionBase, IProjection
{
    protected AnalyticsProjection(string name, AnalyticsPseudonyms pseudonyms, IEnumerable<Type> events, IEnumerable<string> tables)
    {
        Name = name;
        Pseudonyms = pseudonyms;
        IncludedEventTypes.AddRange(events);
        foreach (var table in tables)
        {
            Options.DeleteDataInTableOnTeardown(table);
        }
    }

    protected AnalyticsPseudonyms Pseudonyms { get; }

    public abstract Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation);
}
