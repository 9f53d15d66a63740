using System.Globalization;

namespace EventStore.Bench.Soak;

/// <summary>Command line of the soak; every run is bounded by its duration and fault counts.</summary>
internal sealed record SoakOptions(TimeSpan Duration, int Clients, int Kills, int PostgresRestarts, bool Keep, string? ApiDll)
{
    public const string Usage =
        "usage: EventStore.Bench.Soak [--duration 150] [--clients 8] [--kills 3] [--pg-restarts 3] [--keep] [--api EventStore.Api.dll]\n" +
        "  --duration     seconds of load (10 to 1800); faults are spread over it\n" +
        "  --clients      concurrent clients, one user each (1 to 64)\n" +
        "  --kills        kill -9 of the app, each followed by a restart (0 to 20)\n" +
        "  --pg-restarts  PostgreSQL restarts while the app runs, alternating `pg_ctl restart -m fast` and `-m immediate` (0 to 20)\n" +
        "  --keep         keep the work folder (PostgreSQL data, app logs) even when the run passes\n" +
        "  --api          another build of the app";

    public static SoakOptions? Parse(string[] args)
    {
        var duration = 150;
        var clients = 8;
        var kills = 3;
        var restarts = 3;
        var keep = false;
        string? api = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--duration": duration = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--clients": clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--kills": kills = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--pg-restarts": restarts = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--keep": keep = true; break;
                    case "--api": api = Path.GetFullPath(Next()); break;
                    default: return null;
                }
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return duration is < 10 or > 1800 || clients is < 1 or > 64 || kills is < 0 or > 20 || restarts is < 0 or > 20
            ? null
            : new SoakOptions(TimeSpan.FromSeconds(duration), clients, kills, restarts, keep, api);
    }

    /// <summary>The app (unless --api names another build) and the audit CLI, as built next to the tool (same configuration).</summary>
    public (string Api, string Cli) Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventStore.sln")))
        {
            directory = directory.Parent;
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        if (directory is null)
        {
            throw new InvalidOperationException("Run the soak from its build output inside the repository (EventStore.sln not found above it).");
        }

        string Output(string project, string dll) => Path.Combine(directory.FullName, "src", project, "bin", configuration, "net10.0", dll);
        var paths = (Api: ApiDll ?? Output("EventStore.Api", "EventStore.Api.dll"), Cli: Output("EventStore.AuditCli", "eventstore-audit.dll"));
        foreach (var path in new[] { paths.Api, paths.Cli }.Where(p => !File.Exists(p)))
        {
            throw new InvalidOperationException($"{path} is missing: build the soak (it builds the app and the CLI) in {configuration}.");
        }

        return paths;
    }
}
