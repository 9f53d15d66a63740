using System.Globalization;

namespace EventStore.Bench.Export;

/// <summary>Command line of the bench; every run is bounded by the event count.</summary>
internal sealed record BenchOptions(long Events, IReadOnlyList<long> ExportSizes, int Runs, string WorkDirectory, bool KeepFiles,
    string? ApiDll, bool Rechain)
{
    public const string Usage =
        "usage: EventStore.Bench.Export [--events 1000000] [--sizes 100000,1000000] [--runs 1] [--work DIR] [--keep-files] [--api EventStore.Api.dll] [--rechain]\n" +
        "  --events      events in the database (appended if fewer; an existing database in DIR is reused)\n" +
        "  --sizes       export sizes in records, each from sequence 1, each by a fresh app process\n" +
        "  --runs        exports per size\n" +
        "  --work        folder for the PostgreSQL data and the export files (default $TMPDIR/eventstore-export-bench)\n" +
        "  --keep-files  keep the NDJSON exports\n" +
        "  --rechain     empty the ledger of a reused database first, to measure chaining again\n" +
        "  --api         another build of the app (e.g. a copy of an earlier one, to compare)";

    public static BenchOptions? Parse(string[] args)
    {
        long events = 1_000_000;
        long[]? sizes = null;
        var runs = 1;
        var work = Path.Combine(Path.GetTempPath(), "eventstore-export-bench");
        var keep = false;
        string? api = null;
        var rechain = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--events": events = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--sizes": sizes = Next().Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                    case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--work": work = Path.GetFullPath(Next()); break;
                    case "--keep-files": keep = true; break;
                    case "--rechain": rechain = true; break;
                    case "--api": api = Path.GetFullPath(Next()); break;
                    default: return null;
                }
            }
            catch (FormatException)
            {
                return null;
            }
        }

        sizes ??= events > 100_000 ? [100_000, events] : [events];
        return events < 1 || runs < 1 || sizes.Any(s => s < 1) ? null : new BenchOptions(events, sizes, runs, work, keep, api, rechain);
    }
}

/// <summary>The app and the verifier CLI as built next to the bench (same configuration).</summary>
internal sealed record BenchPaths(string ApiDll, string CliDll)
{
    public static BenchPaths Locate(string? apiDll)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventStore.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException("Run the bench from its build output inside the repository (EventStore.sln not found above it).");
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string Output(string project, string dll) => Path.Combine(directory.FullName, "src", project, "bin", configuration, "net10.0", dll);
        var paths = new BenchPaths(apiDll ?? Output("EventStore.Api", "EventStore.Api.dll"), Output("EventStore.AuditCli", "eventstore-audit.dll"));
        foreach (var path in new[] { paths.ApiDll, paths.CliDll })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: build the bench (it builds both) in {configuration}.");
            }
        }

        return paths;
    }
}
