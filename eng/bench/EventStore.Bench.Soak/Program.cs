using System.Collections.Concurrent;
using System.Diagnostics;
using EventStore.Bench.Soak;

// Durability soak (docs/performance.md, "Durability soak (kill -9, PostgreSQL restarts)"):
// 1. a throwaway PostgreSQL (initdb in a temp folder, pg_ctl on a free loopback port) and the app as its own process;
// 2. N clients, one user each, send deposits (unique amounts; every other one under an idempotency key, retried until
//    answered, the others once, without a key: group-committed) and limit orders (unique clientOrderIds, retried until
//    answered), through /graphql and record every answer;
// 3. meanwhile the app is killed with SIGKILL and restarted, and PostgreSQL is restarted (-m fast, -m immediate);
// 4. then SQL against the store: every acknowledged command stored exactly once, nothing duplicated, stream versions
//    contiguous, the async projections caught up; and the audit hash chain verifies (`eventstore-audit verify` on
//    GET /audit/export). Exit code 1 on any violation.
var options = SoakOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(SoakOptions.Usage);
    return 2;
}

var (apiDll, cliDll) = options.Locate();
// Not Directory.CreateTempSubdirectory: its 0700 mode would keep the `postgres` user (PostgreSQL under root) out.
var work = Path.Combine(Path.GetTempPath(), $"eventstore-soak-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
Directory.CreateDirectory(work);
Report.Line($"work folder {work}; app {apiDll}");
Report.Line($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
    $"load {options.Duration.TotalSeconds:F0} s, {options.Clients} clients, {options.Kills} kill -9, {options.PostgresRestarts} PostgreSQL restarts");

var failures = new ConcurrentDictionary<string, int>();
var faults = new List<string>();
var clients = new List<SoakClient>();
StoreVerifier verifier;
var clock = Stopwatch.StartNew();
await using (var postgres = await SoakPostgres.StartAsync(Path.Combine(work, "postgres")))
{
    await using (var app = new SoakApp(apiDll, work, postgres.ConnectionString))
    {
        await app.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = app.BaseUri,
            Timeout = TimeSpan.FromSeconds(15),
        };
        for (var i = 0; i < options.Clients; i++)
        {
            var client = new SoakClient(i, http, failures);
            await client.SignUpAsync();
            clients.Add(client);
        }

        var audit = new SoakAudit(http, postgres.ConnectionString, cliDll);
        await audit.SignUpAuditorAsync();
        failures.Clear(); // only the load's answers
        Report.Line($"{clients.Count} users signed up; load starts");
        using var stop = new CancellationTokenSource(options.Duration);
        var retryDeadline = DateTime.UtcNow + options.Duration + TimeSpan.FromSeconds(90);
        var load = clients.Select(c => Task.Run(() => c.RunAsync(retryDeadline, stop.Token))).ToArray();

        // Faults spread evenly over the middle of the load: kills and PostgreSQL restarts alternate, fast and immediate too.
        var schedule = new List<string>();
        for (var (k, r) = (0, 0); k < options.Kills || r < options.PostgresRestarts;)
        {
            if (k++ < options.Kills)
            {
                schedule.Add("kill");
            }

            if (r < options.PostgresRestarts)
            {
                schedule.Add(r++ % 2 == 0 ? "fast" : "immediate");
            }
        }

        var loadStart = Stopwatch.StartNew();
        for (var n = 0; n < schedule.Count; n++)
        {
            var at = options.Duration * (n + 1) / (schedule.Count + 1);
            if (at > loadStart.Elapsed)
            {
                await Task.Delay(at - loadStart.Elapsed);
            }

            var acknowledgedBefore = clients.Sum(c => c.Acknowledged);
            if (schedule[n] == "kill")
            {
                await app.KillAsync();
                var up = await app.StartAsync();
                faults.Add($"{loadStart.Elapsed.TotalSeconds:F0} s: kill -9 of the app, restarted and ready in {up.TotalSeconds:F1} s");
            }
            else
            {
                Report.Line($"pg_ctl restart -m {schedule[n]}");
                var took = await postgres.RestartAsync(schedule[n]);
                faults.Add($"{loadStart.Elapsed.TotalSeconds:F0} s: PostgreSQL restart -m {schedule[n]} (down and up again in {took.TotalSeconds:F1} s) with the app running");
            }

            Report.Line(faults[^1] + $" ({acknowledgedBefore} commands acknowledged before it)");
        }

        await Task.WhenAll(load);
        Report.Line($"load over after {loadStart.Elapsed.TotalSeconds:F0} s");
        verifier = new StoreVerifier(postgres.ConnectionString, app.KeyEncryptionKey);
        await verifier.VerifyAsync(clients);
        var (violation, fact) = await audit.VerifyAsync(Path.Combine(work, "audit-export.ndjson"));
        if (violation is null)
        {
            verifier.Facts.Add(fact);
        }
        else
        {
            verifier.Violations.Add(violation);
        }
    }
}

var commands = clients.Sum(c => c.Deposits.Count + c.Orders.Count);
var acknowledged = clients.Sum(c => c.Deposits.Count(d => d.Outcome == Outcome.Acknowledged) +
    c.Orders.Count(o => o.Outcome is Outcome.Acknowledged or Outcome.AcknowledgedByDuplicateAnswer));
var attempts = clients.Sum(c => c.Deposits.Sum(d => d.Attempts) + c.Orders.Sum(o => o.Attempts));
Console.WriteLine();
Console.WriteLine("## Summary");
Console.WriteLine($"- {commands} commands ({attempts} requests) by {clients.Count} clients in {clock.Elapsed.TotalSeconds:F0} s: " +
    $"{acknowledged} acknowledged, {commands - acknowledged} not acknowledged");
Console.WriteLine($"- faults injected ({faults.Count}):");
faults.ForEach(f => Console.WriteLine($"  - {f}"));
Console.WriteLine($"- failed requests by cause: {(failures.IsEmpty ? "none" : string.Join(", ", failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} x{f.Value}")))}");
verifier.Facts.ForEach(f => Console.WriteLine($"- {f}"));
Console.WriteLine($"- violations: {verifier.Violations.Count}");
foreach (var violation in verifier.Violations.Take(50))
{
    Console.WriteLine($"  - {violation}");
}

if (verifier.Violations.Count == 0 && !options.Keep)
{
    Directory.Delete(work, recursive: true);
}
else
{
    Console.WriteLine($"- work folder kept: {work}");
}

return verifier.Violations.Count == 0 ? 0 : 1;
