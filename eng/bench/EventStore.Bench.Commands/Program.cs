using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using EventStore.Bench.Commands;
using EventStore.Bench.Export;
using EventStore.Bench.Live;
using EventStore.LocalPostgres;
using Npgsql;

// Linux only: it signals the app process with kill(1), reads /proc/loadavg, and the PostgreSQL launcher needs POSIX.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Command throughput against a raw single-row INSERT endpoint, and projection lag under steady load
// (docs/performance.md). PostgreSQL from the local binaries (or --postgres), the app and the baseline endpoint each as
// a process of its own on loopback; every phase is bounded in time.
if (args is [RawInsertProcess.Argument])
{
    await RawInsertProcess.ServeAsync();
    return 0;
}

var options = BenchOptions.Parse(args);
var clock = Stopwatch.StartNew();
var work = Path.Combine("/var/tmp", "eventstore-cmdbench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
Say($"work directory {work} (app log), app {options.AppDll}; load average {LoadAverage()}");

LocalPostgresServer? postgres = null;
var throughput = new List<string>();
var lags = new List<string>();
var cpuRows = new List<string>();
var lengthRows = new List<string>();
var ceilingRows = new List<string>();
try
{
    (var connectionString, postgres) = await BenchPostgres.StartAsync(options.Postgres, work);
    Say($"PostgreSQL: {await DurabilitySettingsAsync(connectionString)}");
    var settings = BenchPostgres.AppSettings(connectionString, work);
    // The per-user and per-address request limits would cap one trader at 20 requests/s: off for the benchmark.
    settings["GraphQL:RequestsPerMinutePerUser"] = "0";
    settings["GraphQL:AnonymousRequestsPerMinute"] = "0";
    // The bench logs in its traders from one address, more than the login limits allow: off too (not on the measured path).
    settings["GraphQL:AuthAttemptsPerUsername"] = "0";
    settings["GraphQL:AuthAttemptsPerAddress"] = "0";
    if (!options.Projections)
    {
        settings["EventStore:RunProjections"] = "false";
    }

    foreach (var (name, value) in options.AppEnvironment)
    {
        settings[name] = value;
        Say($"app environment: {name}={value}");
    }
    await using var app = await AppNode.StartAsync("app", options.AppDll, work, settings);
    Say($"app ready on {app.HttpUri}");
    await using var raw = await RawInsertProcess.StartAsync(connectionString);
    Say($"raw-insert endpoint on {raw.Uri}");

    // Traders for the deposits (the first deposit opens each account). The load is spread over --users accounts; at
    // concurrency N, worker w cycles through the traders u with u % N == w, so no two workers ever append to the same
    // stream at once (no optimistic-concurrency conflicts or retries in the figures).
    var tokens = new string[options.Users];
    using (var setup = new GraphQLHttp(app.HttpUri))
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Users), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var (_, token) = await setup.RegisterAndLogInAsync($"bench-trader-{i.ToString(CultureInfo.InvariantCulture)}");
            await setup.DepositAsync(token, 1m);
            tokens[i] = token;
        });
    }

    var projection = options.Projections ? await ProjectionNameAsync(connectionString) : null;
    Say($"{tokens.Length.ToString(CultureInfo.InvariantCulture)} traders; " +
        (projection is null ? "projections off (no lag measured)" : $"lag measured on projection '{projection}'"));

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
    var commandBody = Encoding.UTF8.GetBytes("""{"query":"mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }","variables":{"a":1}}""");
    var rawUsers = Enumerable.Range(0, options.Users).Select(_ => Guid.NewGuid()).ToList();
    var commandUri = new Uri(app.HttpUri, "graphql");
    var rawUri = new Uri(raw.Uri, "deposit");

    var noOpBody = Encoding.UTF8.GetBytes("""{"query":"{ __typename }"}""");

    async Task<bool> GraphQL(byte[] payload, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, commandUri) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return response.StatusCode == HttpStatusCode.OK && !body.Contains("\"errors\"", StringComparison.Ordinal);
    }

    // Worker w of n: the traders w, w + n, w + 2n, ... in turn.
    SendRequest Deposits(int n)
    {
        var next = new int[n];
        return (worker, ct) =>
        {
            var user = worker + n * next[worker];
            next[worker] = user + n < tokens.Length ? next[worker] + 1 : 0;
            return GraphQL(commandBody, tokens[user], ct);
        };
    }

    Task<bool> NoOp(int worker, CancellationToken ct) => GraphQL(noOpBody, tokens[worker % tokens.Length], ct);

    async Task<bool> Raw(int worker, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(rawUri, new RawDeposit(rawUsers[worker % rawUsers.Count], 1m), ct);
        await response.Content.ReadAsStringAsync(ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    // Warm-up: the JIT of the process under load (the app for commands and the no-op, the raw endpoint's process for the
    // baseline) and of this process's client must be quiet before the window opens (LoadRunner.JitQuiet).
    Func<Task<bool>> ServerAndBenchJitQuiet(Func<Task<long>> serverCompiledMethods)
    {
        var serverQuiet = LoadRunner.JitQuiet(serverCompiledMethods);
        var benchQuiet = LoadRunner.JitQuiet(BenchCompiledMethods);
        return async () => await serverQuiet() & await benchQuiet();
    }

    Func<Task<bool>> AppAndBenchJitQuiet() => ServerAndBenchJitQuiet(() => AppCompiledMethodsAsync(http, app.HttpUri));

    Func<Task<bool>> RawAndBenchJitQuiet() => ServerAndBenchJitQuiet(() => RawCompiledMethodsAsync(http, raw.Uri));

    // CPU seconds of the server under load (the app, or the raw endpoint's process), of PostgreSQL (postmaster and
    // backends) and of this process (the client) over a measured window, per successful request: steadier than
    // requests/s on shared cores.
    var postmaster = PostmasterPid(postgres);
    (double Server, double Postgres, double Bench) Cpu(int server) => (ProcessCpu.Seconds(server),
        postmaster is { } pm ? ProcessCpu.TreeSeconds(pm) : double.NaN, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
    Action<bool> Window(int server, Action<(double Server, double Postgres, double Bench)> done)
    {
        var start = (0.0, 0.0, 0.0);
        return open =>
        {
            if (open)
            {
                start = Cpu(server);
            }
            else
            {
                var end = Cpu(server);
                done((end.Server - start.Item1, end.Postgres - start.Item2, end.Bench - start.Item3));
            }
        };
    }

    static string PerRequest((double Server, double Postgres, double Bench) cpu, LoadResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{1000 * cpu.Server / result.Succeeded:F2} / {1000 * cpu.Postgres / result.Succeeded:F2} / {1000 * cpu.Bench / result.Succeeded:F2}");

    foreach (var n in options.Levels)
    {
        Say($"concurrency {n.ToString(CultureInfo.InvariantCulture)}: raw insert, at least {Seconds(options.Warmup)} s warm-up + {Seconds(options.Duration)} s");
        var rawCpu = (Server: 0.0, Postgres: 0.0, Bench: 0.0);
        var rawResult = await LoadRunner.ClosedLoopAsync(n, options.Warmup, options.Duration, Raw, Window(raw.ProcessId, c => rawCpu = c),
            RawAndBenchJitQuiet(), options.MaxWarmup);
        Say($"  raw: {Describe(rawResult)}");
        var rawLoad = LoadAverage();

        Say($"concurrency {n.ToString(CultureInfo.InvariantCulture)}: deposit through /graphql");
        var first = await LagSampler.MaxSequenceAsync(connectionString);
        await using var sampler = projection is null ? null : LagSampler.Start(connectionString, projection, options.SampleInterval);
        var commandCpu = (Server: 0.0, Postgres: 0.0, Bench: 0.0);
        var commandResult = await LoadRunner.ClosedLoopAsync(n, options.Warmup, options.Duration, Deposits(n), Window(app.ProcessId, c => commandCpu = c),
            AppAndBenchJitQuiet(), options.MaxWarmup);
        var last = await LagSampler.MaxSequenceAsync(connectionString);
        var endLoad = LoadAverage();
        Say($"  command: {Describe(commandResult)}");
        LagResult? lag = null;
        if (sampler is not null)
        {
            lag = await sampler.MeasureAsync(first, last, TimeSpan.FromSeconds(30));
            Say($"  projection lag while saturated: {Describe(lag)}");
        }

        // Not part of the target: the same authenticated POST /graphql without a command, to split the cost.
        Say($"concurrency {n.ToString(CultureInfo.InvariantCulture)}: {{ __typename }} through /graphql (no command)");
        var noOpResult = await LoadRunner.ClosedLoopAsync(n, options.Warmup, options.Duration, NoOp, null, AppAndBenchJitQuiet(), options.MaxWarmup);
        Say($"  no-op: {Describe(noOpResult)}");
        var noOpLoad = LoadAverage();
        throughput.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {n} | {rawResult.PerSecond:F0} | {rawResult.P50:F1} / {rawResult.P99:F1} | {commandResult.PerSecond:F0} | {commandResult.P50:F1} / {commandResult.P99:F1} | " +
            $"{rawResult.Errors} / {commandResult.Errors} | **{commandResult.PerSecond / rawResult.PerSecond:F2}** | " +
            $"{noOpResult.PerSecond:F0} ({noOpResult.P50:F1} / {noOpResult.P99:F1}) | {rawLoad} / {endLoad} / {noOpLoad} |"));
        cpuRows.Add($"| {n.ToString(CultureInfo.InvariantCulture)} | {PerRequest(rawCpu, rawResult)} | {PerRequest(commandCpu, commandResult)} |");
        if (lag is not null)
        {
            lags.Add(LagRow($"closed loop, {n.ToString(CultureInfo.InvariantCulture)} workers (saturated)", commandResult, lag, endLoad));
        }
    }

    if (projection is not null)
    {
        Say($"steady load: {options.LagRate.ToString(CultureInfo.InvariantCulture)} deposits/s for {Seconds(options.LagDuration)} s over {tokens.Length.ToString(CultureInfo.InvariantCulture)} traders");
        var first = await LagSampler.MaxSequenceAsync(connectionString);
        await using var sampler = LagSampler.Start(connectionString, projection, options.SampleInterval);
        var steady = await LoadRunner.PacedAsync(options.LagRate, options.LagDuration, tokens.Length, maxInFlight: 64,
            (worker, ct) => GraphQL(commandBody, tokens[worker], ct));
        var last = await LagSampler.MaxSequenceAsync(connectionString);
        var load = LoadAverage();
        Say($"  command: {Describe(steady)}");
        var lag = await sampler.MeasureAsync(first, last, TimeSpan.FromSeconds(30));
        Say($"  projection lag: {Describe(lag)}");
        lags.Add(LagRow($"steady, {options.LagRate.ToString(CultureInfo.InvariantCulture)} deposits/s", steady, lag, load));
    }

    if (options.LongEvents > 0)
    {
        // Stream length: the same deposits, one worker, on accounts whose streams hold about 10 events and on accounts
        // whose streams hold --long-events, each group filled through the API first (deposits of 1). With the inline
        // snapshot the load is one row either way; without it every deposit replayed the stream.
        async Task<(Guid Account, string Token)[]> FillAsync(string name, int traders, int events)
        {
            var members = new (Guid Account, string Token)[traders];
            using var setup = new GraphQLHttp(app.HttpUri);
            Say($"stream length: filling {traders.ToString(CultureInfo.InvariantCulture)} accounts to {events.ToString(CultureInfo.InvariantCulture)} events");
            await Parallel.ForEachAsync(Enumerable.Range(0, traders), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var (id, token) = await setup.RegisterAndLogInAsync($"bench-{name}-{i.ToString(CultureInfo.InvariantCulture)}");
                // The first deposit opens the account: two events; each further deposit one.
                for (var e = 0; e < events - 1; e++)
                {
                    await setup.DepositAsync(token, 1m);
                }

                members[i] = (EventStore.Domain.Trading.TradingIds.AccountOf(Guid.Parse(id)), token);
            });

            // The fill's events are projected before the measurement starts, so that neither group is measured while the
            // daemon catches up with its own fill (8,000 events for the long group, 640 for the short one).
            Say($"stream length: {await ProjectionsCaughtUpAsync(connectionString, TimeSpan.FromSeconds(60))}");
            return members;
        }

        // A row of the table: the group's p50 over the short group's of the same window is the target's ratio (at most 1.2).
        string LengthRow(string accounts, string before, string after, LoadResult result, double shortP50) =>
            string.Create(CultureInfo.InvariantCulture,
                $"| {accounts} | {before} | {after} | {result.PerSecond:F0} | {result.P50:F2} / {result.P99:F1} | **{result.P50 / shortP50:F2}** | {result.Errors} | {LoadAverage()} |");

        // One after the other: each group for the whole window.
        var groups = new[] { (Name: "short", Traders: 64, Events: 10), (Name: "long", Traders: 8, Events: options.LongEvents) };
        var longMembers = Array.Empty<(Guid Account, string Token)>(); // the last group's, measured again in turn below
        double? shortP50 = null;
        foreach (var group in groups)
        {
            var members = longMembers = await FillAsync(group.Name, group.Traders, group.Events);
            var accounts = members.Select(m => m.Account).ToArray();
            var before = await StreamLengthsAsync(connectionString, accounts);
            var turn = 0;
            Say($"stream length: deposits on the {group.Name} accounts ({before}), 1 worker");
            var result = await LoadRunner.ClosedLoopAsync(1, options.Warmup, options.Duration,
                (_, ct) => GraphQL(commandBody, members[turn++ % members.Length].Token, ct), null, AppAndBenchJitQuiet(), options.MaxWarmup);
            var after = await StreamLengthsAsync(connectionString, accounts);
            Say($"  command: {Describe(result)}");
            shortP50 ??= result.P50;
            lengthRows.Add(LengthRow($"{group.Name}: {group.Traders} accounts", before, after, result, shortP50.Value));
        }

        // In turn: one worker alternates a short account and a long one, request by request, so that whatever the
        // machine does during the window (other jobs, autovacuum, a checkpoint) falls on both groups alike. The short
        // group is filled afresh (the first one grew during its own window); the long one goes on as it is.
        var fresh = await FillAsync("short-again", 64, 10);
        var pair = new[] { fresh, longMembers };
        var pairAccounts = pair.Select(g => g.Select(m => m.Account).ToArray()).ToArray();
        var pairBefore = new[] { await StreamLengthsAsync(connectionString, pairAccounts[0]), await StreamLengthsAsync(connectionString, pairAccounts[1]) };
        var latencies = new[] { new List<double>(), new List<double>() };
        var errorsOf = new int[2];
        var measuring = false;
        var next = 0;
        Say($"stream length: deposits on short ({pairBefore[0]}) and long ({pairBefore[1]}) accounts in turn, 1 worker");
        await LoadRunner.ClosedLoopAsync(1, options.Warmup, options.Duration, async (_, ct) =>
        {
            var group = next % 2;
            var members = pair[group];
            var token = members[next / 2 % members.Length].Token;
            next++;
            var started = Stopwatch.GetTimestamp();
            var ok = await GraphQL(commandBody, token, ct);
            if (Volatile.Read(ref measuring))
            {
                if (ok)
                {
                    latencies[group].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    errorsOf[group]++;
                }
            }

            return ok;
        }, open => Volatile.Write(ref measuring, open), AppAndBenchJitQuiet(), options.MaxWarmup);
        var inTurn = latencies.Select((l, g) => LoadResult.From(l, errorsOf[g], options.Duration)).ToArray();
        for (var g = 0; g < 2; g++)
        {
            Say($"  command ({(g == 0 ? "short" : "long")}, in turn): {Describe(inTurn[g])}");
            var pairAfter = await StreamLengthsAsync(connectionString, pairAccounts[g]);
            lengthRows.Add(LengthRow(g == 0 ? "short, in turn: 64 accounts" : "long, in turn: 8 accounts", pairBefore[g], pairAfter, inTurn[g], inTurn[0].P50));
        }
    }

    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync();
        await using var longest = new NpgsqlCommand("select max(version) from eventstore.mt_streams", connection);
        Say($"longest stream at the end: {await longest.ExecuteScalarAsync()} events");
    }

    if (options.SqlCeiling > TimeSpan.Zero)
    {
        // The app stops first: its daemon would otherwise project the deposits of the deposit runs, not the raw inserts.
        await app.DisposeAsync();
        ceilingRows.AddRange(await SqlCeiling.RunAsync(connectionString, options.Levels, options.SqlCeiling, work, Say));
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
Console.WriteLine("| concurrency | raw insert req/s | raw p50 / p99 ms | command req/s | command p50 / p99 ms | errors raw / command | command / raw | GraphQL no-op req/s (p50 / p99 ms) | load average (1 min) after raw / command / no-op |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
throughput.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine("| concurrency | raw insert: CPU ms per request, endpoint process / PostgreSQL / bench (client) | command: CPU ms per request, app / PostgreSQL / bench (client) |");
Console.WriteLine("|---|---|---|");
cpuRows.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine("| load | commands/s | events | lag p50 ms | p95 ms | p99 ms | max ms | commit -> high-water mark p50 / p99 ms | sampling gap mean / p99 ms | load average (1 min) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
lags.ForEach(Console.WriteLine);
if (lengthRows.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| accounts | stream length before (min-max events) | after | command req/s (1 worker) | p50 / p99 ms | p50 / short p50 | errors | load average (1 min) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    lengthRows.ForEach(Console.WriteLine);
}

if (ceilingRows.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| concurrency | PostgreSQL alone (pgbench): raw insert tx/s | a deposit's statements tx/s | **deposit / raw** | lean append tx/s | lean / raw | 8 deposits per transaction: deposits/s (/ raw) |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    ceilingRows.ForEach(Console.WriteLine);
}

Say($"done in {clock.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
return 0;

static string LagRow(string name, LoadResult load, LagResult lag, string loadAverage) => string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {load.PerSecond:F0} | {lag.Events}{(lag.NotReached > 0 ? $" ({lag.NotReached} not projected in time)" : "")} | {lag.P50:F0} | {lag.P95:F0} | **{lag.P99:F0}** | {lag.Max:F0} | " +
    $"{lag.HighWaterP50:F0} / {lag.HighWaterP99:F0} | {lag.MeanGap:F1} / {lag.P99Gap:F1} | {loadAverage} |");

// Both paths commit durably: the figures are only comparable with fsync and synchronous_commit on.
static async Task<string> DurabilitySettingsAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("select current_setting('fsync'), current_setting('synchronous_commit')", connection);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return $"fsync={reader.GetString(0)}, synchronous_commit={reader.GetString(1)}";
}

static async Task<string> StreamLengthsAsync(string connectionString, Guid[] accounts)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("select min(version), max(version) from eventstore.mt_streams where id = any(@ids)", connection);
    command.Parameters.AddWithValue("ids", accounts);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)}-{reader.GetInt64(1)}");
}

// Waits (at most `limit`) until every projection's progression has reached the last event appended so far.
static async Task<string> ProjectionsCaughtUpAsync(string connectionString, TimeSpan limit)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var last = new NpgsqlCommand("select coalesce(max(seq_id), 0) from eventstore.mt_events", connection);
    var target = (long)(await last.ExecuteScalarAsync())!;
    // The projections still behind the fill, named with their position (null when none is).
    await using var behind = new NpgsqlCommand(
        "select string_agg(name || ' at ' || last_seq_id, ', ') from eventstore.mt_event_progression where name <> 'HighWaterAllocationFence' and last_seq_id < @target",
        connection);
    behind.Parameters.AddWithValue("target", target);
    var waited = Stopwatch.StartNew();
    object? behindNow;
    while ((behindNow = await behind.ExecuteScalarAsync()) is string && waited.Elapsed < limit)
    {
        await Task.Delay(200);
    }

    return behindNow is string names
        ? string.Create(CultureInfo.InvariantCulture, $"behind the fill (last event {target}) after {limit.TotalSeconds:F0} s: {names}; measuring anyway")
        : string.Create(CultureInfo.InvariantCulture, $"projections caught up with the fill in {waited.Elapsed.TotalSeconds:F1} s");
}

static string Describe(object result) => result.ToString() ?? "";

// This process's JIT-compiled method count (the client's).
static Task<long> BenchCompiledMethods() => Task.FromResult(System.Runtime.JitInfo.GetCompiledMethodCount());

// The raw-insert endpoint's process's JIT-compiled method count (RawInsertServer's GET /compiled-methods).
static async Task<long> RawCompiledMethodsAsync(HttpClient http, Uri raw) =>
    long.Parse(await http.GetStringAsync(new Uri(raw, "compiled-methods")), CultureInfo.InvariantCulture);

// The app's JIT-compiled method count from its /metrics (the runtime's System.Runtime meter, dotnet.jit.compiled_methods).
static async Task<long> AppCompiledMethodsAsync(HttpClient http, Uri app)
{
    var text = await http.GetStringAsync(new Uri(app, "metrics"));
    foreach (var line in text.Split('\n'))
    {
        if (line.StartsWith("dotnet_jit_compiled_methods", StringComparison.Ordinal))
        {
            return (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
    }

    throw new InvalidOperationException("The app's /metrics has no dotnet_jit_compiled_methods: is the System.Runtime meter exported?");
}

static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

static void Say(string line) => Console.WriteLine($"[{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {line}");

// The postmaster of the bench's own PostgreSQL (null with --postgres: its CPU is not counted).
static int? PostmasterPid(LocalPostgresServer? postgres) => postgres is null
    ? null
    : int.Parse(File.ReadLines(Path.Combine(postgres.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

// The async projection fed by deposits: CashAccountView. Its progress row appears once the daemon has started it.
static async Task<string> ProjectionNameAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        "select name from eventstore.mt_event_progression where name like 'CashAccountView%' order by name limit 1", connection);
    var waited = Stopwatch.StartNew();
    while (waited.Elapsed < TimeSpan.FromSeconds(60))
    {
        if (await command.ExecuteScalarAsync() is string name)
        {
            return name;
        }

        await Task.Delay(250);
    }

    throw new TimeoutException("No progress row for the CashAccountView projection within 60 s (is the daemon running?)");
}
