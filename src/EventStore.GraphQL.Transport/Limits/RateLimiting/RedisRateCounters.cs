using StackExchange.Redis;

namespace EventStore.GraphQL.Transport.Limits.RateLimiting;

/// <summary>
/// Counters in Redis (`ConnectionStrings:Redis`), so every node of a cluster charges the same ones. One Lua script per
/// call charges all of its counters atomically: INCRBY, an expiry set on a fresh counter, and the backoff that lengthens
/// it. Keys start with `eventstore:rl:`. While Redis cannot be reached the counters fall back to this process (the limits
/// then hold per node, as without Redis), with a warning in the log: a Redis outage must not take the API down.
/// </summary>
public sealed class RedisRateCounters(IConnectionMultiplexer redis, InProcessRateCounters fallback, ILogger<RedisRateCounters> logger)
    : IRateCounters
{
    public const string KeyPrefix = "eventstore:rl:";

    // ARGV per key: cost, window ms, limit, backoff ms, backoff max ms. Returns count and remaining ms per key.
    private const string Script = """
        local out = {}
        for i, key in ipairs(KEYS) do
          local base = (i - 1) * 5
          local cost = tonumber(ARGV[base + 1])
          local window = tonumber(ARGV[base + 2])
          local limit = tonumber(ARGV[base + 3])
          local backoff = tonumber(ARGV[base + 4])
          local backoffMax = tonumber(ARGV[base + 5])
          local count = redis.call('INCRBY', key, cost)
          local ttl = redis.call('PTTL', key)
          if ttl < 0 then
            redis.call('PEXPIRE', key, window)
            ttl = window
          end
          local over = count - limit
          if over > 0 and backoff > 0 then
            local wait = math.floor(math.min(backoffMax, backoff * (2 ^ math.min(over - 1, 40))))
            if wait > ttl then
              redis.call('PEXPIRE', key, wait)
              ttl = wait
            end
          end
          out[#out + 1] = count
          out[#out + 1] = ttl
        end
        return out
        """;

    public async Task<IReadOnlyList<CounterState>> ChargeAsync(IReadOnlyList<CounterCharge> charges, CancellationToken cancellationToken)
    {
        if (charges.Count == 0)
        {
            return [];
        }

        var keys = charges.Select(c => (RedisKey)(KeyPrefix + c.Key)).ToArray();
        var values = charges.SelectMany(c => new RedisValue[]
        {
            c.Cost, Milliseconds(c.Window), c.Limit, Milliseconds(c.Backoff), Milliseconds(c.BackoffMax),
        }).ToArray();
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, values))!;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Rate-limit counters: Redis is not answering ({Error}); counting on this node meanwhile", e.GetType().Name);
            return await fallback.ChargeAsync(charges, cancellationToken);
        }

        var states = new CounterState[charges.Count];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = new CounterState((long)result[2 * i], TimeSpan.FromMilliseconds((long)result[(2 * i) + 1]));
        }

        return states;
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);
}
