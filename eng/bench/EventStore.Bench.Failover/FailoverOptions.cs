using System.Globalization;

namespace EventStore.Bench.Failover;

/// <summary>
/// `--runs 5 --modes HotCold,WolverineManaged --interval-ms 100 --max-failover-s 150 --app &lt;EventStore.Api.dll&gt;
/// --postgres &lt;conn&gt;`. Runs alternate between the modes (HotCold 1, WolverineManaged 1, HotCold 2, ...) so that
/// machine noise falls on both alike.
/// </summary>
public sealed record FailoverOptions(int Runs, IReadOnlyList<string> Modes, TimeSpan Interval, TimeSpan MaxFailover, string AppDll, string? Postgres)
{
    public static readonly string[] KnownModes = ["HotCold", "WolverineManaged"];

    public static FailoverOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        var runs = int.Parse(values.GetValueOrDefault("runs") ?? "5", CultureInfo.InvariantCulture);
        var modes = (values.GetValueOrDefault("modes") ?? string.Join(',', KnownModes)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (modes.Length == 0 || modes.Any(m => !KnownModes.Contains(m, StringComparer.Ordinal)))
        {
            throw new ArgumentException($"--modes: a comma-separated list of {string.Join(", ", KnownModes)}");
        }

        var interval = TimeSpan.FromMilliseconds(int.Parse(values.GetValueOrDefault("interval-ms") ?? "100", CultureInfo.InvariantCulture));
        var maxFailover = TimeSpan.FromSeconds(int.Parse(values.GetValueOrDefault("max-failover-s") ?? "150", CultureInfo.InvariantCulture));
        var app = values.GetValueOrDefault("app") ?? Path.Combine(RepositoryRoot(), "src/EventStore.Api/bin/Release/net10.0/EventStore.Api.dll");
        if (!File.Exists(app))
        {
            throw new ArgumentException($"--app: {app} does not exist; build it first (dotnet build src/EventStore.Api -c Release)");
        }

        // Bounded: at most 20 runs of each mode, a deposit at most every 20 ms, at most 5 minutes' wait per failover.
        return new FailoverOptions(Math.Clamp(runs, 1, 20), modes, TimeSpan.FromMilliseconds(Math.Clamp(interval.TotalMilliseconds, 20, 5_000)),
            TimeSpan.FromSeconds(Math.Clamp(maxFailover.TotalSeconds, 10, 300)), app, values.GetValueOrDefault("postgres"));
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
