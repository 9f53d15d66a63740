namespace EventStore.GraphQL.Transport.Limits.RateLimiting;

/// <summary>Counters in this process: the limits hold per node (one node, or no Redis configured).</summary>
public sealed class InProcessRateCounters(TimeProvider time) : IRateCounters
{
    private readonly Dictionary<string, Entry> _counters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public Task<IReadOnlyList<CounterState>> ChargeAsync(IReadOnlyList<CounterCharge> charges, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var states = new CounterState[charges.Count];
        lock (_gate)
        {
            Sweep(now);
            for (var i = 0; i < charges.Count; i++)
            {
                var charge = charges[i];
                if (!_counters.TryGetValue(charge.Key, out var entry) || entry.ExpiresAt <= now)
                {
                    entry = new Entry { ExpiresAt = now + charge.Window };
                    _counters[charge.Key] = entry;
                }

                entry.Count += charge.Cost;
                var backoff = charge.BackoffAfter(entry.Count);
                if (now + backoff > entry.ExpiresAt)
                {
                    entry.ExpiresAt = now + backoff;
                }

                states[i] = new CounterState(entry.Count, entry.ExpiresAt - now);
            }
        }

        return Task.FromResult<IReadOnlyList<CounterState>>(states);
    }

    /// <summary>Drops expired counters now and then, so addresses seen once do not pile up.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + TimeSpan.FromMinutes(1);
        foreach (var key in _counters.Where(x => x.Value.ExpiresAt <= now).Select(x => x.Key).ToList())
        {
            _counters.Remove(key);
        }
    }

    private sealed class Entry
    {
        public long Count { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
