using EventStore.Bench.Live;
using EventStore.LocalPostgres;

// Linux only: it signals the app processes with kill(1), and the app's PostgreSQL launcher needs a POSIX system.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Commit -> subscriber delivery latency over real WebSockets (docs/performance.md). Starts PostgreSQL with the app's
// own launcher (or uses --postgres), one or two app processes on loopback, opens N subscribers, deposits at a steady
// pace and reports p50/p99/max of (time a subscriber read the `next`) - (the event's store timestamp).
var options = BenchOptions.Parse(args);
var work = Path.Combine("/var/tmp", "eventstore-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
Console.WriteLine($"work directory {work} (app logs), app {options.AppDll}");

LocalPostgresServer? postgres = null;
var results = new List<PhaseResult>();
try
{
    (var connectionString, postgres) = await BenchPostgres.StartAsync(options.Postgres, work);
    var settings = BenchPostgres.AppSettings(connectionString, work);

    await using var nodeA = await AppNode.StartAsync("node-a", options.AppDll, work, settings);
    Console.WriteLine($"node-a ready on {nodeA.HttpUri}");
    using var http = new GraphQLHttp(nodeA.HttpUri);
    var users = await BenchUsers.CreateAsync(http, options.Subscribers.Max());

    if (options.Nodes is 1 or 0)
    {
        foreach (var n in options.Subscribers)
        {
            results.Add(await Phase.RunAsync("1 node", http, nodeA, n, users, options, connectionString));
        }
    }

    if (options.Nodes is 2 or 0)
    {
        // Node B serves subscriptions only; node A handles the commands and runs the daemon (the high-water mark).
        await using var nodeB = await AppNode.StartAsync("node-b", options.AppDll, work, new Dictionary<string, string>(settings)
        {
            ["EventStore:RunProjections"] = "false",
            ["Trading:SeedInstruments"] = "false",
        });
        Console.WriteLine($"node-b ready on {nodeB.HttpUri}");
        foreach (var n in options.Subscribers)
        {
            results.Add(await Phase.RunAsync("2 nodes (command on A, subscribers on B)", http, nodeB, n, users, options, connectionString));
        }
    }
}
finally
{
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }
}

Console.WriteLine();
Console.WriteLine(PhaseResult.Header);
foreach (var r in results)
{
    Console.WriteLine(r.ToMarkdownRow());
}

if (options.Postgres is null)
{
    Directory.Delete(Path.Combine(work, "postgres"), recursive: true);
}

return results.All(r => r.Missing == 0) ? 0 : 1;
