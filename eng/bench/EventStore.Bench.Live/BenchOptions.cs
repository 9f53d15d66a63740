using System.Globalization;

namespace EventStore.Bench.Live;

/// <summary>
/// `--subscribers 1,100,1000 --commands 30 --interval-ms 200 --nodes 0|1|2 --app &lt;EventStore.Api.dll&gt; --postgres &lt;conn&gt;`;
/// `--nodes 0` (the default) runs the one-node phases, then the two-node ones.
/// </summary>
public sealed record BenchOptions(IReadOnlyList<int> Subscribers, int Commands, TimeSpan Interval, int Nodes, string AppDll, string? Postgres)
{
    public const int MaxSubscribers = 5_000;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        var subscribers = (values.GetValueOrDefault("subscribers") ?? "1,100,1000").Split(',')
            .Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToList();
        if (subscribers.Any(n => n is < 1 or > MaxSubscribers))
        {
            throw new ArgumentException($"--subscribers: each from 1 to {MaxSubscribers.ToString(CultureInfo.InvariantCulture)}");
        }

        var commands = int.Parse(values.GetValueOrDefault("commands") ?? "30", CultureInfo.InvariantCulture);
        var interval = TimeSpan.FromMilliseconds(int.Parse(values.GetValueOrDefault("interval-ms") ?? "200", CultureInfo.InvariantCulture));
        var nodes = int.Parse(values.GetValueOrDefault("nodes") ?? "0", CultureInfo.InvariantCulture);
        var app = values.GetValueOrDefault("app") ?? Path.Combine(RepositoryRoot(), "src/EventStore.Api/bin/Release/net10.0/EventStore.Api.dll");
        if (!File.Exists(app))
        {
            throw new ArgumentException($"--app: {app} does not exist; build it first (dotnet build src/EventStore.Api -c Release)");
        }

        return new BenchOptions(subscribers, Math.Clamp(commands, 1, 1_000), interval, nodes, app, values.GetValueOrDefault("postgres"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EventStore.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EventStore.sln not found above " + AppContext.BaseDirectory);
    }
}
