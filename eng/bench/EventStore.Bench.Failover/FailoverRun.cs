using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace EventStore.Bench.Failover;

/// <summary>
/// One failover: a subscriber on the survivor, deposits through the survivor at a steady pace, kill -9 of the node that
/// runs the watched projection, then: when the projection's progression passes the first event appended after the
/// kill (resume), when the high-water mark does (the live feed reads up to it), and what the subscriber received.
/// </summary>
public static class FailoverRun
{
    public static async Task<RunResult> RunAsync(string mode, int run, TwoNodes cluster, FailoverOptions options)
    {
        var placement = await cluster.SettledPlacementAsync(TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(3));
        var runsWatched = placement[TwoNodes.WatchedProjection].Single();
        var (victim, survivor) = runsWatched == cluster.A.Node.Name ? (cluster.A, cluster.B) : (cluster.B, cluster.A);
        Report.Line($"{mode} run {run}: {victim.Node.Name} runs {Share(placement, victim.Node.Name)} projections (with {TwoNodes.WatchedProjection}); subscriber and deposits on {survivor.Node.Name}");

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var subscriber = await Subscriber.StartAsync(survivor.Node.SocketUri, cluster.Users.AuditorFor(0), timeout.Token);
        var trader = cluster.Users.TraderToken;
        while (subscriber.Count == 0)
        {
            timeout.Token.ThrowIfCancellationRequested();
            await survivor.Http.DepositAsync(trader, 1m);
            await Task.Delay(500, timeout.Token);
        }

        var start = subscriber.Deliveries[^1].Sequence;
        await using var projection = HighWaterProbe.Start(cluster.ConnectionString, TwoNodes.WatchedProjection + ":All");
        await using var highWater = HighWaterProbe.Start(cluster.ConnectionString);
        await using var deposits = DepositLoop.Start(survivor.Http, trader, options.Interval);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var victimShare = Share(await cluster.PlacementAsync(victim, survivor), victim.Node.Name);
        var killedAt = DateTimeOffset.UtcNow;
        await victim.Node.KillAsync();
        Report.Line($"kill -9 {victim.Node.Name} (pid {victim.Node.ProcessId}), which ran {victimShare} projections");

        var clock = Stopwatch.StartNew();
        var firstAfterKill = await FirstDepositAfterAsync(cluster.ConnectionString, start, killedAt, options.MaxFailover);
        DateTimeOffset? resumedAt = null;
        while (clock.Elapsed < options.MaxFailover && (resumedAt = projection.ReachedAt(firstAfterKill)) is null)
        {
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // deposits after the resume: back to steady delivery
        await deposits.StopAsync();
        var stored = await DepositsAfterAsync(cluster.ConnectionString, start);
        var drain = Stopwatch.StartNew();
        while (subscriber.Deliveries.Count(d => d.Sequence > start) < stored && drain.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        var after = subscriber.Deliveries.Where(d => d.Sequence > start).ToList();
        var window = resumedAt ?? DateTimeOffset.UtcNow;
        var inWindow = after.Where(d => d.StoredAt >= killedAt && d.StoredAt <= window).Select(d => (d.ReceivedAt - d.StoredAt).TotalMilliseconds).ToList();
        var afterKill = after.Where(d => d.StoredAt >= killedAt).Select(d => (d.ReceivedAt - d.StoredAt).TotalMilliseconds).ToList();
        var distinct = after.Select(d => d.Sequence).Distinct().Count();
        var result = new RunResult(mode, run, victimShare, Seconds(resumedAt, killedAt), Seconds(highWater.ReachedAt(firstAfterKill), killedAt),
            deposits.Acknowledged, deposits.Failed, stored, stored - distinct, after.Count - distinct, Percentiles.Of(inWindow), Percentiles.Of(afterKill),
            subscriber.Failure);
        Report.Line(result.ToMarkdownRow());
        return result;
    }

    private static string Share(Dictionary<string, List<string>> placement, string node) =>
        $"{placement.Count(p => p.Value.Contains(node)).ToString(CultureInfo.InvariantCulture)} of {placement.Count.ToString(CultureInfo.InvariantCulture)}";

    private static double? Seconds(DateTimeOffset? at, DateTimeOffset from) => at is { } value ? (value - from).TotalSeconds : null;

    /// <summary>The global sequence of the first deposit committed after the kill (store clock and ours are one machine's).</summary>
    private static async Task<long> FirstDepositAfterAsync(string connectionString, long start, DateTimeOffset killedAt, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select min(seq_id) from eventstore.mt_events where type = 'cash_deposited' and seq_id > @start and timestamp > @killed", connection);
        query.Parameters.AddWithValue("start", start);
        query.Parameters.AddWithValue("killed", killedAt);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await query.ExecuteScalarAsync() is long sequence)
            {
                return sequence;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No deposit was committed on the survivor after the kill");
    }

    private static async Task<int> DepositsAfterAsync(string connectionString, long start)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select count(*) from eventstore.mt_events where type = 'cash_deposited' and seq_id > @start", connection);
        query.Parameters.AddWithValue("start", start);
        return (int)(long)(await query.ExecuteScalarAsync())!;
    }
}

public sealed record RunResult(string Mode, int Run, string VictimShare, double? ProjectionResumeSeconds, double? HighWaterResumeSeconds,
    int Acknowledged, int Failed, int Stored, int Missing, int Duplicates, Percentiles InWindow, Percentiles AfterKill, string? SubscriberFailure)
{
    public const string Header =
        "| mode | run | victim ran | projection resumed after (s) | high-water mark passed the first new event after (s) | deposits acknowledged / failed / stored | missed by the subscriber | duplicates | commit -> subscriber during failover p50 / p99 / max (ms) | all after the kill p50 / p99 / max (ms) |\n"
        + "|---|---|---|---|---|---|---|---|---|---|";

    public string ToMarkdownRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Mode} | {Run} | {VictimShare} | {Format(ProjectionResumeSeconds)} | {Format(HighWaterResumeSeconds)} | {Acknowledged} / {Failed} / {Stored} | {Missing} | {Duplicates} | {InWindow.P50:F0} / {InWindow.P99:F0} / {InWindow.Max:F0} | {AfterKill.P50:F0} / {AfterKill.P99:F0} / {AfterKill.Max:F0} |")
        + (SubscriberFailure is null ? "" : " subscriber failed: " + SubscriberFailure);

    private static string Format(double? seconds) => seconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) : "not within the limit";
}
