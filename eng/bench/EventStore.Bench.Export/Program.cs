using System.Diagnostics;
using EventStore.Bench.Export;

// Audit export benchmark (docs/performance.md, "Audit export throughput and memory"):
// 1. a private PostgreSQL (the app's own launcher) with N domain events, serialized by Marten, written with binary COPY;
// 2. the app as its own process chains them (ledger rate);
// 3. for each export size a fresh app process serves GET /audit/export over Kestrel on loopback to an auditor, the bench
//    saves it to a file and samples the server's /proc/<pid>/status (VmRSS, VmHWM);
// 4. `eventstore-audit verify` checks each file (time and peak memory).
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var paths = BenchPaths.Locate(options.ApiDll);
Directory.CreateDirectory(options.WorkDirectory);
Report.Line($"work directory {options.WorkDirectory}; app {paths.ApiDll}; cli {paths.CliDll}");
Report.Line($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

await using var database = await BenchDatabase.StartAsync(Path.Combine(options.WorkDirectory, "postgres"));
var results = new List<string>();

await using (var app = await AppProcess.StartAsync(paths, database.ConnectionString, options.WorkDirectory, ledger: true))
{
    await app.AuditorTokenAsync(); // creates the auditor while the app seeds its own events, before the load
    var existing = await database.EventCountAsync();
    if (existing < options.Events)
    {
        var load = Stopwatch.StartNew();
        var appended = await database.AppendAsync(options.Events - existing);
        load.Stop();
        Report.Line($"appended {appended:N0} events (Marten's serializer, binary COPY) in {load.Elapsed.TotalSeconds:F1} s ({appended / load.Elapsed.TotalSeconds:N0} events/s)");
    }

    var cpu = CpuSnapshot.Take(app.Pid, database.PostmasterPid);
    var ledger = await database.ChainAsync(options.Rechain);
    results.Add($"ledger: chained {ledger.Records:N0} records in {ledger.Elapsed.TotalSeconds:F1} s ({ledger.Records / ledger.Elapsed.TotalSeconds:N0} records/s); " +
        $"CPU s: {cpu.Since(app.Pid, database.PostmasterPid).Describe(ledger.Records)}");
    Report.Line(results[^1]);
}

var head = await database.LedgerHeadAsync();
foreach (var size in options.ExportSizes)
{
    // The ledger holds every sequence number from 1 to its head (events and gaps): N records end at sequence N.
    var toSequence = Math.Min(size, head);
    for (var run = 1; run <= options.Runs; run++)
    {
        var file = Path.Combine(options.WorkDirectory, $"export-{size}.ndjson");
        ExportResult export;
        await using (var app = await AppProcess.StartAsync(paths, database.ConnectionString, options.WorkDirectory, ledger: false))
        {
            var token = await app.AuditorTokenAsync();
            export = await app.ExportAsync(token, toSequence, file, database.PostmasterPid);
        }

        results.Add($"export to sequence {toSequence:N0} (run {run}): {export}");
        Report.Line(results[^1]);
    }

    var verify = await Verifier.RunAsync(paths, Path.Combine(options.WorkDirectory, $"export-{size}.ndjson"));
    results.Add($"verify of the export to sequence {toSequence:N0}: {verify}");
    Report.Line(results[^1]);
    if (!options.KeepFiles)
    {
        File.Delete(Path.Combine(options.WorkDirectory, $"export-{size}.ndjson"));
    }
}

Console.WriteLine();
Console.WriteLine("## Summary");
foreach (var line in results)
{
    Console.WriteLine("- " + line);
}

return 0;
