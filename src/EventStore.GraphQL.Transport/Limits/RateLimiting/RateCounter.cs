namespace EventStore.GraphQL.Transport.Limits.RateLimiting;

/// <summary>
/// One counter to charge: <paramref name="Cost"/> hits on <paramref name="Key"/>, allowed <paramref name="Limit"/> per
/// <paramref name="Window"/>. With a <paramref name="Backoff"/>, every hit beyond the limit keeps the counter alive for
/// Backoff * 2^(hits over - 1), at most <paramref name="BackoffMax"/>: whoever keeps trying waits longer each time.
/// </summary>
public sealed record CounterCharge(string Key, long Cost, long Limit, TimeSpan Window, TimeSpan Backoff = default,
    TimeSpan BackoffMax = default)
{
    /// <summary>How long the counter must live after a count of <paramref name="count"/> (at least the window's rest).</summary>
    public TimeSpan BackoffAfter(long count)
    {
        var over = count - Limit;
        if (over <= 0 || Backoff <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var doubled = Backoff.TotalMilliseconds * Math.Pow(2, Math.Min(over - 1, 40));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, BackoffMax.TotalMilliseconds));
    }
}

/// <summary>The count after a charge (this charge included) and how long until the counter starts again from zero.</summary>
public readonly record struct CounterState(long Count, TimeSpan ResetsIn);

/// <summary>
/// Fixed-window counters shared by everything that charges them: in Redis for a cluster (<see cref="RedisRateCounters"/>),
/// in this process otherwise (<see cref="InProcessRateCounters"/>). Charges of one call are applied together.
/// </summary>
public interface IRateCounters
{
    Task<IReadOnlyList<CounterState>> ChargeAsync(IReadOnlyList<CounterCharge> charges, CancellationToken cancellationToken);
}
