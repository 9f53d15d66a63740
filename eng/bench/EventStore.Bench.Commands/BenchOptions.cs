using System.Globalization;

namespace EventStore.Bench.Commands;

/// <summary>
/// `--levels 1,8,32 --warmup-s 5 --duration-s 15 --users 64 --lag-rate 40 --lag-s 20 --sample-ms 20
/// --long-events 1000 --max-warmup-s 90 --projections on --app-env 'NAME=value;...' --sql-ceiling-s 10 --app &lt;EventStore.Api.dll&gt; --postgres &lt;conn&gt;` (`--long-events 0` skips the
/// stream-length phase). Each closed loop warms up for at least --warmup-s, then until the JIT of the process under
/// load is quiet, at most --max-warmup-s. `--projections off` starts the app without its async daemon (a diagnostic: what
/// the projections cost; the lag phases are then skipped). `--sql-ceiling-s` (0: off) times pgbench runs of the raw insert,
/// a deposit's statements, the leanest append and 8 deposits per transaction after the app has stopped (SqlCeiling). Every phase is bounded in time; concurrency, users and rates are capped.
/// </summary>
public sealed record BenchOptions(IReadOnlyList<int> Levels, TimeSpan Warmup, TimeSpan Duration, int Users, int LagRate, TimeSpan LagDuration,
    TimeSpan SampleInterval, string AppDll, string? Postgres, int LongEvents, TimeSpan MaxWarmup, bool Projections,
    IReadOnlyDictionary<string, string> AppEnvironment, TimeSpan SqlCeiling)
{
    public const int MaxConcurrency = 128;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string name, int fallback, int min, int max) =>
            Math.Clamp(int.Parse(values.GetValueOrDefault(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), min, max);

        var levels = (values.GetValueOrDefault("levels") ?? "1,8,32").Split(',')
            .Select(x => Math.Clamp(int.Parse(x, CultureInfo.InvariantCulture), 1, MaxConcurrency)).ToList();
        var app = values.GetValueOrDefault("app") ?? Path.Combine(RepositoryRoot(), "src/EventStore.Api/bin/Release/net10.0/EventStore.Api.dll");
        if (!File.Exists(app))
        {
            throw new ArgumentException($"--app: {app} does not exist; build it first (dotnet build src/EventStore.Api -c Release)");
        }

        return new BenchOptions(levels,
            TimeSpan.FromSeconds(Int("warmup-s", 5, 1, 60)),
            TimeSpan.FromSeconds(Int("duration-s", 15, 1, 120)),
            // At least one trader per worker at the highest level, so no two workers ever append to the same stream.
            Int("users", 64, levels.Max(), 1_000),
            Int("lag-rate", 40, 1, 1_000),
            TimeSpan.FromSeconds(Int("lag-s", 20, 1, 120)),
            TimeSpan.FromMilliseconds(Int("sample-ms", 20, 1, 1_000)),
            app,
            values.GetValueOrDefault("postgres"),
            Int("long-events", 1_000, 0, 10_000),
            TimeSpan.FromSeconds(Math.Max(Int("max-warmup-s", 90, 1, 300), Int("warmup-s", 5, 1, 60))),
            (values.GetValueOrDefault("projections") ?? "on") switch
            {
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--projections: '{other}' is not on or off"),
            },
            AppEnvironmentFrom(values.GetValueOrDefault("app-env")),
            TimeSpan.FromSeconds(Int("sql-ceiling-s", 10, 0, 60)));
    }

    /// <summary>`--app-env 'NAME=value;NAME2=value2'`: environment variables for the app process only (runtime A/B runs).</summary>
    private static Dictionary<string, string> AppEnvironmentFrom(string? text)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--app-env: '{pair}' is not NAME=value");
            }

            environment[pair[..equals]] = pair[(equals + 1)..];
        }

        return environment;
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
