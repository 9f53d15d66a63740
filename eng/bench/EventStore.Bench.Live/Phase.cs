using System.Diagnostics;
using System.Globalization;

namespace EventStore.Bench.Live;

/// <summary>One measurement: N subscribers on one node, a steady series of deposits through node A.</summary>
public static class Phase
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(90);

    public static async Task<PhaseResult> RunAsync(string topology, GraphQLHttp commands, AppNode subscribersNode, int n,
        BenchUsers users, BenchOptions options, string connectionString)
    {
        Console.WriteLine($"[{Now()}] {topology}, {n.ToString(CultureInfo.InvariantCulture)} subscribers: connecting");
        var subscribers = await OpenAsync(subscribersNode, n, users);
        try
        {
            // Warm-up: deposits until every subscriber has one (so all are registered with the node's feed), then wait
            // until all have read the same last event: that sequence is the start line.
            var settleBy = Stopwatch.StartNew();
            while (subscribers.Any(s => s.Count == 0))
            {
                Guard(subscribers, settleBy);
                await commands.DepositAsync(users.TraderToken, 1m);
                await WaitAsync(() => subscribers.All(s => s.Count > 0), TimeSpan.FromSeconds(5));
            }

            long start;
            while (true)
            {
                Guard(subscribers, settleBy);
                start = subscribers.Max(s => s.Deliveries[^1].Sequence);
                if (await WaitAsync(() => subscribers.All(s => s.Deliveries[^1].Sequence == start), TimeSpan.FromSeconds(5)))
                {
                    break;
                }
            }

            Console.WriteLine($"[{Now()}] all subscribed; {options.Commands.ToString(CultureInfo.InvariantCulture)} deposits, one every {options.Interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
            var returned = new List<DateTimeOffset>();
            await using var highWater = HighWaterProbe.Start(connectionString);
            for (var i = 0; i < options.Commands; i++)
            {
                await commands.DepositAsync(users.TraderToken, 1m);
                returned.Add(DateTimeOffset.UtcNow);
                await Task.Delay(options.Interval);
            }

            await WaitAsync(() => subscribers.All(s => s.Deliveries.Count(d => d.Sequence > start) >= options.Commands), TimeSpan.FromSeconds(60));
            return Measure(topology, n, subscribers, start, returned, highWater);
        }
        finally
        {
            await Task.WhenAll(subscribers.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static PhaseResult Measure(string topology, int n, IReadOnlyList<Subscriber> subscribers, long start, List<DateTimeOffset> returned,
        HighWaterProbe highWater)
    {
        var fromStore = new List<double>();
        var fromReturn = new List<double>();
        var toMark = new List<double>();
        var fromMark = new List<double>();
        var duplicatesOrDisorder = 0;
        foreach (var subscriber in subscribers)
        {
            var measured = subscriber.Deliveries.Where(d => d.Sequence > start).ToList();
            for (var k = 0; k < measured.Count && k < returned.Count; k++)
            {
                if (k > 0 && measured[k].Sequence <= measured[k - 1].Sequence)
                {
                    duplicatesOrDisorder++;
                }

                fromStore.Add((measured[k].ReceivedAt - measured[k].StoredAt).TotalMilliseconds);
                fromReturn.Add((measured[k].ReceivedAt - returned[k]).TotalMilliseconds);
                if (highWater.ReachedAt(measured[k].Sequence) is { } marked)
                {
                    toMark.Add((marked - measured[k].StoredAt).TotalMilliseconds);
                    fromMark.Add((measured[k].ReceivedAt - marked).TotalMilliseconds);
                }
            }
        }

        var failures = subscribers.Count(s => s.Failure is not null);
        var result = new PhaseResult(topology, n, returned.Count, fromStore.Count, (n * returned.Count) - fromStore.Count,
            duplicatesOrDisorder, failures, Percentiles.Of(fromStore), Percentiles.Of(fromReturn), Percentiles.Of(toMark), Percentiles.Of(fromMark));
        Console.WriteLine($"[{Now()}] {result.ToMarkdownRow()}");
        return result;
    }

    private static async Task<List<Subscriber>> OpenAsync(AppNode node, int n, BenchUsers users)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var gate = new SemaphoreSlim(32);
        var opening = Enumerable.Range(0, n).Select(async i =>
        {
            await gate.WaitAsync(timeout.Token);
            try
            {
                return await Subscriber.StartAsync(node.SocketUri, users.AuditorFor(i), timeout.Token);
            }
            finally
            {
                gate.Release();
            }
        });
        return [.. await Task.WhenAll(opening)];
    }

    private static void Guard(IReadOnlyList<Subscriber> subscribers, Stopwatch elapsed)
    {
        if (subscribers.FirstOrDefault(s => s.Failure is not null) is { } failed)
        {
            throw new InvalidOperationException("A subscriber failed: " + failed.Failure);
        }

        if (elapsed.Elapsed > SettleTimeout)
        {
            throw new TimeoutException("The subscribers did not settle on one event within " + SettleTimeout);
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            if (deadline.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}

public sealed record PhaseResult(string Topology, int Subscribers, int Commands, int Deliveries, int Missing, int OutOfOrder,
    int FailedSubscribers, Percentiles FromStore, Percentiles FromReturn, Percentiles ToHighWater, Percentiles FromHighWater)
{
    public const string Header =
        "| topology | subscribers | deposits | deliveries | missing | p50 ms | p99 ms | max ms | p50 / p99 ms from mutation return | p50 / p99 ms commit -> high-water mark | p50 / p99 ms high-water mark -> subscriber |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|";

    public string ToMarkdownRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Topology} | {Subscribers} | {Commands} | {Deliveries} | {Missing} | {FromStore.P50:F0} | {FromStore.P99:F0} | {FromStore.Max:F0} | {FromReturn.P50:F0} / {FromReturn.P99:F0} | {ToHighWater.P50:F0} / {ToHighWater.P99:F0} | {FromHighWater.P50:F0} / {FromHighWater.P99:F0} |")
        + (OutOfOrder + FailedSubscribers > 0 ? $" out of order: {OutOfOrder.ToString(CultureInfo.InvariantCulture)}, failed subscribers: {FailedSubscribers.ToString(CultureInfo.InvariantCulture)}" : "");
}
