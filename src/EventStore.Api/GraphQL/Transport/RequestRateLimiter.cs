using System.Threading.RateLimiting;
using EventStore.Api.Auth;
using Microsoft.Extensions.Options;

namespace EventStore.Api.GraphQL.Transport;

/// <summary>
/// Per-user request limits of the GraphQL endpoint: a token bucket per signed-in user, and one per client address for
/// requests without a token. Held on each node, in memory: it protects the node from one client's flood, which is a
/// node's concern; what costs money across the cluster (the AI assistant) has its own limit in PostgreSQL.
/// </summary>
public sealed class RequestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public RequestRateLimiter(IOptions<GraphQLOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => http.User.UserId() is { } user
            ? Bucket("user:" + user.ToString("N"), limits.RequestsPerMinutePerUser)
            : Bucket("address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.AnonymousRequestsPerMinute));
    }

    /// <summary>Takes one request; on refusal, how long until the next one is likely to be let through.</summary>
    public bool TryAcquire(HttpContext http, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(http);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>A full bucket of a minute's requests (bursts allowed), refilled a sixtieth of it every second.</summary>
    private static RateLimitPartition<string> Bucket(string key, int perMinute) => perMinute == 0
        ? RateLimitPartition.GetNoLimiter(key)
        : RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = Math.Max(1, perMinute / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(perMinute >= 60 ? 1 : 60.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
