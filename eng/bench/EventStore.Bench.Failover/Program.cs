using System.Globalization;
using EventStore.Bench.Failover;
using EventStore.LocalPostgres;
using Npgsql;

// Linux only: kill -9 of an app process, and the app's PostgreSQL launcher needs a POSIX system.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Projection failover between two nodes (docs/performance.md): for each run and each projection distribution, two app
// processes on a fresh database, kill -9 of the node that runs the watched projection, and how long until the survivor
// resumes it; meanwhile a subscriber on the survivor measures commit -> delivery and counts missed events.
var options = FailoverOptions.Parse(args);
var work = Path.Combine("/var/tmp", "eventstore-failover-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
Report.Line($"work directory {work} (app logs), app {options.AppDll}, {options.Runs} runs of {string.Join(", ", options.Modes)}, "
    + $"a deposit every {options.Interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms, load average {LoadAverage()}");

LocalPostgresServer? postgres = null;
var results = new List<RunResult>();
var failures = new List<string>();
try
{
    (var server, postgres) = await BenchPostgres.StartAsync(options.Postgres, work);
    for (var run = 1; run <= options.Runs; run++)
    {
        foreach (var mode in options.Modes)
        {
            var database = $"failover_{mode.ToLowerInvariant()}_{run.ToString(CultureInfo.InvariantCulture)}";
            try
            {
                await using var cluster = await TwoNodes.StartAsync(mode, database, server, options, work);
                results.Add(await FailoverRun.RunAsync(mode, run, cluster, options));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or OperationCanceledException)
            {
                Report.Line($"{mode} run {run} failed: {e.Message} (app logs in {work})");
                failures.Add($"{mode} run {run}: {e.Message}");
            }
            finally
            {
                await DropAsync(server, database);
            }
        }
    }
}
finally
{
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
        Directory.Delete(Path.Combine(work, "postgres"), recursive: true);
    }
}

Console.WriteLine();
Console.WriteLine($"load average at the end: {LoadAverage()}");
Console.WriteLine(RunResult.Header);
foreach (var r in results)
{
    Console.WriteLine(r.ToMarkdownRow());
}

Console.WriteLine();
Console.WriteLine("| mode | runs | projection resumed after (s): median / max | high-water mark (s): median / max | missed events | duplicates |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var mode in options.Modes)
{
    var runs = results.Where(r => r.Mode == mode).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {mode} | {runs.Count} | {Median(runs.Select(r => r.ProjectionResumeSeconds))} | {Median(runs.Select(r => r.HighWaterResumeSeconds))} | {runs.Sum(r => r.Missing)} | {runs.Sum(r => r.Duplicates)} |"));
}

foreach (var failure in failures)
{
    Console.WriteLine("failed run: " + failure);
}

return failures.Count == 0 && results.All(r => r.Missing == 0 && r.Duplicates == 0 && r.ProjectionResumeSeconds is not null) ? 0 : 1;

static string Median(IEnumerable<double?> values)
{
    var known = values.ToList();
    var sorted = known.OfType<double>().Order().ToList();
    var missing = known.Count - sorted.Count;
    return sorted.Count == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{sorted[(sorted.Count - 1) / 2]:F1} / {sorted[^1]:F1}")
        + (missing > 0 ? $" ({missing} not within the limit)" : "");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static async Task DropAsync(string server, string database)
{
    await using var connection = new NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var drop = new NpgsqlCommand($"drop database if exists \"{database}\" with (force)", connection);
    await drop.ExecuteNonQueryAsync();
}
