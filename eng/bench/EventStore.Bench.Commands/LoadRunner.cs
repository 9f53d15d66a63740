using System.Diagnostics;

namespace EventStore.Bench.Commands;

/// <summary>One request of a worker: true if it succeeded (a 200 with no GraphQL error).</summary>
public delegate Task<bool> SendRequest(int worker, CancellationToken ct);

/// <summary>Closed-loop load (N workers, each sends its next request when the last one returned) and paced load.</summary>
public static class LoadRunner
{
    /// <summary>
    /// N workers for warm-up + duration; only requests that end inside the measured window count. Requests/s =
    /// successes in the window / window length; latencies are of those successes.
    /// </summary>
    /// <remarks>
    /// <paramref name="window"/> is called when the measured window opens (true) and closes (false). With
    /// <paramref name="warm"/>, the warm-up lasts at least <paramref name="warmup"/> and then goes on, checked each second,
    /// until <paramref name="warm"/> answers true or <paramref name="maxWarmup"/> has passed (see <see cref="JitQuiet"/>).
    /// </remarks>
    public static async Task<LoadResult> ClosedLoopAsync(int concurrency, TimeSpan warmup, TimeSpan duration, SendRequest send,
        Action<bool>? window = null, Func<Task<bool>>? warm = null, TimeSpan? maxWarmup = null)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = long.MaxValue;
        var end = long.MaxValue;
        var longestWarmup = maxWarmup is { } max && max > warmup ? max : warmup;
        using var stop = new CancellationTokenSource(longestWarmup + duration + TimeSpan.FromSeconds(30));
        var perWorker = new List<double>[concurrency];
        var errors = new int[concurrency];
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var latencies = perWorker[w] = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < Volatile.Read(ref end))
            {
                var (ok, elapsed) = await TimedAsync(send, w, stop.Token);
                var done = Stopwatch.GetTimestamp();
                if (done >= Volatile.Read(ref measureFrom) && done < Volatile.Read(ref end))
                {
                    if (ok)
                    {
                        latencies.Add(elapsed);
                    }
                    else
                    {
                        errors[w]++;
                    }
                }
            }
        })).ToList();
        await Task.Delay(warmup);
        if (warm is not null)
        {
            var limit = start + Ticks(longestWarmup);
            while (Stopwatch.GetTimestamp() < limit && !await warm())
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        var warmedUp = Stopwatch.GetElapsedTime(start);
        window?.Invoke(true);
        var from = Stopwatch.GetTimestamp();
        Volatile.Write(ref end, from + Ticks(duration));
        Volatile.Write(ref measureFrom, from);
        await Task.Delay(duration);
        window?.Invoke(false);
        await Task.WhenAll(workers);
        return LoadResult.From(perWorker.SelectMany(l => l).ToList(), errors.Sum(), duration) with { WarmedUp = warmedUp };
    }

    /// <summary>
    /// A warm-up check: true once the process compiled fewer than <paramref name="perSecond"/> methods a second over the
    /// last 3 seconds, i.e. the JIT's tiering (tier 0, instrumented, tier 1) has settled on the measured path. A large
    /// app measured while its JIT still recompiles the hot path pays for the compiler inside the window.
    /// </summary>
    public static Func<Task<bool>> JitQuiet(Func<Task<long>> compiledMethods, int perSecond = 10)
    {
        var readings = new Queue<(long At, long Count)>();
        return async () =>
        {
            var now = Stopwatch.GetTimestamp();
            readings.Enqueue((now, await compiledMethods()));
            while (readings.Count > 1 && Stopwatch.GetElapsedTime(readings.Peek().At, now) > TimeSpan.FromSeconds(3.5))
            {
                readings.Dequeue();
            }

            var (firstAt, firstCount) = readings.Peek();
            var span = Stopwatch.GetElapsedTime(firstAt, now).TotalSeconds;
            return span >= 2.5 && (readings.Last().Count - firstCount) / span < perSecond;
        };
    }

    /// <summary>
    /// A steady rate: request k leaves at start + k / rate whatever the earlier ones are doing (at most
    /// <paramref name="maxInFlight"/> outstanding; beyond that the schedule slips and the achieved rate says so).
    /// </summary>
    public static async Task<LoadResult> PacedAsync(int rate, TimeSpan duration, int workers, int maxInFlight, SendRequest send)
    {
        var latencies = new List<double>();
        var errors = 0;
        using var gate = new SemaphoreSlim(maxInFlight);
        using var stop = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var total = (int)(rate * duration.TotalSeconds);
        for (var k = 0; k < total; k++)
        {
            var due = TimeSpan.FromSeconds(k / (double)rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            await gate.WaitAsync();
            var worker = k % workers;
            inFlight.Add(Task.Run(async () =>
            {
                var (ok, elapsed) = await TimedAsync(send, worker, stop.Token);
                lock (latencies)
                {
                    if (ok)
                    {
                        latencies.Add(elapsed);
                    }
                    else
                    {
                        errors++;
                    }
                }

                gate.Release();
            }));
        }

        await Task.WhenAll(inFlight);
        return LoadResult.From(latencies, errors, clock.Elapsed);
    }

    /// <summary>One request and its latency in ms; a transport error or a timeout counts as a failed request.</summary>
    private static async Task<(bool Ok, double Elapsed)> TimedAsync(SendRequest send, int worker, CancellationToken ct)
    {
        var sent = Stopwatch.GetTimestamp();
        bool ok;
        try
        {
            ok = await send(worker, ct);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            ok = false;
        }

        return (ok, Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

public sealed record LoadResult(int Succeeded, int Errors, double PerSecond, double P50, double P99, double Max)
{
    /// <summary>How long a closed loop warmed up before its measured window opened (zero for paced load).</summary>
    public TimeSpan WarmedUp { get; init; }

    public static LoadResult From(List<double> latencies, int errors, TimeSpan window)
    {
        latencies.Sort();
        return new LoadResult(latencies.Count, errors, latencies.Count / window.TotalSeconds,
            Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.99), latencies.Count == 0 ? double.NaN : latencies[^1]);
    }
}

public static class Percentiles
{
    /// <summary>Nearest-rank percentile of an ascending list.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
