using Marten;

namespace EventStore.Projections.Auditing;

/// <summary>Time travel for auditors: any aggregate or view as of a stream version or a point in time.</summary>
public static class StreamStates
{
    /// <param name="version">0 for the latest version.</param>
    public static Task<T?> AsOfAsync<T>(IQuerySession session, Guid streamId, long version, DateTimeOffset? at, CancellationToken ct)
        where T : class => session.Events.AggregateStreamAsync<T>(streamId, version, at, token: ct);
}
