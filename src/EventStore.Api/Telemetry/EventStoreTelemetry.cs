using System.Diagnostics;

namespace EventStore.Api.Telemetry;

/// <summary>
/// The one name under which the app publishes its own metrics (System.Diagnostics.Metrics, created through
/// <see cref="System.Diagnostics.Metrics.IMeterFactory"/>) and spans (ActivitySource). OpenTelemetry subscribes to both
/// by this name (TelemetrySetup); every instrument of ours is named `eventstore.*` (docs/observability.md).
/// </summary>
public static class EventStoreTelemetry
{
    public const string Name = Domain.Commits.GroupCommitTelemetry.Name;

    /// <summary>Spans of ours: one per GraphQL operation (GraphQLOperationTelemetry).</summary>
    public static readonly ActivitySource ActivitySource = new(Name);
}
