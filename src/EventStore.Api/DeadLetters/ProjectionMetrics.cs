using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventStore.Api.DeadLetters;

/// <summary>
/// Projection health as metrics on the "EventStore" meter (System.Diagnostics.Metrics; an OpenTelemetry exporter can
/// subscribe to it by name). Counters for what this node did; gauges for the last status read (by the supervisor every
/// <see cref="ProjectionSupervisor.MetricsInterval"/>, by readiness checks and by the `projections` query).
/// </summary>
public sealed class ProjectionMetrics
{
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _replayed;
    private volatile IReadOnlyList<ProjectionSnapshot> _last = [];

    public ProjectionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.EventStoreTelemetry.Name);
        _deadLettered = meter.CreateCounter<long>("eventstore.projection.dead_letters.recorded", "{event}",
            "Events this node dead-lettered because a projection or subscription could not process them.");
        _replayed = meter.CreateCounter<long>("eventstore.projection.dead_letters.replayed", "{event}",
            "Dead letters applied again after a fix.");
        meter.CreateObservableGauge("eventstore.projection.dead_letters", () => _last.Select(x =>
                new Measurement<long>(x.DeadLetters, new KeyValuePair<string, object?>("projection", x.Name))), "{event}",
            "Dead letters waiting per projection or subscription.");
        meter.CreateObservableGauge("eventstore.projection.lag", () => _last.Select(x =>
                new Measurement<long>(x.Lag, new KeyValuePair<string, object?>("projection", x.Name))), "{event}",
            "High-water mark minus the projection's position.");
    }

    public void DeadLettered(string projection, string reason) =>
        _deadLettered.Add(1, new KeyValuePair<string, object?>("projection", projection), new KeyValuePair<string, object?>("reason", reason));

    public void Replayed(string projection) => _replayed.Add(1, new KeyValuePair<string, object?>("projection", projection));

    public void Observe(IReadOnlyList<ProjectionSnapshot> snapshot) => _last = snapshot;
}
