using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.DeadLetters;

/// <summary>`EventStore:Health`: when readiness calls the projections Degraded. Validated at start-up.</summary>
public sealed class ProjectionHealthOptions
{
    public const string SectionName = "EventStore:Health";

    /// <summary>Degraded when a projection is more events than this behind the high-water mark.</summary>
    [Range(1, long.MaxValue)]
    public long MaxProjectionLag { get; set; } = 10_000;

    /// <summary>Degraded when the oldest event a projection has not reached was committed longer ago than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxProjectionLagTime { get; set; } = TimeSpan.FromMinutes(1);
}
