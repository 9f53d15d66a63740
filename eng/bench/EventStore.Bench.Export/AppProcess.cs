using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace EventStore.Bench.Export;

/// <summary>
/// The app as its own process (<c>dotnet EventStore.Api.dll</c>) on a free loopback port, on the bench's database, with no
/// projections and no market-data pump: the export is the only work it does. Its output goes to app-N.log in the work folder.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    // Bench-only credentials for a throwaway database on loopback (the integration tests do the same).
    private const string SigningKey = "export-bench-signing-key-0123456789abcdefghij";
    private const string AdminUsername = "bench-admin";
    private const string AuditorUsername = "bench-auditor";
    private const string Password = "bench-password-not-a-secret";

    /// <summary>Enough for the JIT's tiered compilation to settle on the export path before the measured run.</summary>
    private const long WarmUpRecords = 20_000;
    private static int _started;

    private readonly Process _process;
    private readonly HttpClient _http;

    private AppProcess(Process process, HttpClient http)
    {
        _process = process;
        _http = http;
    }

    public int Pid => _process.Id;

    public static async Task<AppProcess> StartAsync(BenchPaths paths, string connectionString, string workDirectory, bool ledger)
    {
        var port = FreePort();
        var log = Path.Combine(workDirectory, $"app-{Interlocked.Increment(ref _started)}.log");
        var start = new ProcessStartInfo("dotnet", [paths.ApiDll])
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Postgres"] = connectionString,
                ["Jwt__SigningKey"] = SigningKey,
                ["Bootstrap__AdminUsername"] = AdminUsername,
                ["Bootstrap__AdminPassword"] = Password,
                ["MarketData__Enabled"] = "false",
                ["EventStore__RunProjections"] = "false",
                ["Audit__LedgerEnabled"] = ledger ? "true" : "false",
                ["Audit__LedgerInterval"] = "00:00:00.100",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) });
        var ready = Stopwatch.StartNew();
        while (!await app.IsReadyAsync())
        {
            if (process.HasExited || ready.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"The app did not become ready (see {log}).");
            }

            await Task.Delay(200);
        }

        Report.Line($"app pid {process.Id} ready on port {port} in {ready.Elapsed.TotalSeconds:F1} s (ledger {(ledger ? "on" : "off")}), log {log}");
        return app;
    }

    /// <summary>Logs in as the bench auditor, creating it (registered, then given the AUDITOR role by the admin) the first time.</summary>
    public async Task<string> AuditorTokenAsync()
    {
        var auditor = await LogInAsync(AuditorUsername);
        if (auditor is { Roles: var roles } && roles.Contains("AUDITOR"))
        {
            return auditor.Token;
        }

        var id = auditor?.UserId ?? (await GraphQLAsync("mutation($i: RegisterInput!) { register(input: $i) { id } }",
            new { i = new { username = AuditorUsername, email = "bench-auditor@localhost.localdomain", password = Password } },
            null))["register"]!["id"]!.GetValue<string>();
        for (var attempt = 0; ; attempt++)
        {
            // The admin is registered, then given its role, by a start-up task that may still be running.
            var admin = await LogInAsync(AdminUsername);
            var assigned = admin is null ? null : await GraphQLAsync("mutation($i: RoleInput!) { assignRole(input: $i) { id } }",
                new { i = new { userId = id, role = "AUDITOR" } }, admin.Token, allowErrors: true);
            if (assigned?["assignRole"] is not null)
            {
                break;
            }

            if (attempt == 100)
            {
                throw new InvalidOperationException("The bench admin cannot assign the AUDITOR role (see the app log).");
            }

            await Task.Delay(200);
        }

        return (await LogInAsync(AuditorUsername))?.Token ?? throw new InvalidOperationException("The bench auditor cannot log in.");
    }

    /// <summary>
    /// Downloads the export to a file; the server's memory is sampled from /proc while it streams. A first small export
    /// warms the process up (JIT, Wolverine's generated handler for the access record), so the numbers are the steady rate.
    /// </summary>
    public async Task<ExportResult> ExportAsync(string token, long toSequence, string file, int postmasterPid)
    {
        var warmUp = Stopwatch.StartNew();
        await DownloadAsync(token, WarmUpRecords, Stream.Null);
        Report.Line($"  warm-up export of {WarmUpRecords:N0} records: {warmUp.Elapsed.TotalSeconds:F2} s");

        var (rssBefore, _) = ProcessMemory.Read(Pid);
        var cpu = CpuSnapshot.Take(Pid, postmasterPid);
        await using var memory = new ProcessMemory(Pid);
        var clock = Stopwatch.StartNew();
        await using var output = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var (lines, bytes, firstByte) = await DownloadAsync(token, toSequence, output);
        clock.Stop();
        await memory.DisposeAsync();
        return new ExportResult(lines, bytes, clock.Elapsed, firstByte, rssBefore, memory.PeakRssBytes, memory.HighWaterMarkBytes,
            memory.PeakByQuarter(), cpu.Since(Pid, postmasterPid));
    }

    private async Task<(long Lines, long Bytes, TimeSpan FirstByte)> DownloadAsync(string token, long toSequence, Stream output)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/audit/export?fromSequence=1&toSequence={toSequence}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 20];
        long bytes = 0, lines = 0;
        var firstByte = TimeSpan.Zero;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            if (bytes == 0)
            {
                firstByte = clock.Elapsed;
            }

            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            bytes += read;
            await output.WriteAsync(buffer.AsMemory(0, read));
        }

        return (lines, bytes, firstByte);
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync("/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<LoggedIn?> LogInAsync(string username)
    {
        var data = await GraphQLAsync("mutation($i: LoginInput!) { login(input: $i) { token user { id roles } } }",
            new { i = new { username, password = Password } }, null, allowErrors: true);
        return data["login"] is { } login
            ? new LoggedIn(login["token"]!.GetValue<string>(), login["user"]!["id"]!.GetValue<string>(),
                login["user"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ToList())
            : null;
    }

    private sealed record LoggedIn(string Token, string UserId, IReadOnlyList<string> Roles);

    private async Task<JsonNode> GraphQLAsync(string query, object variables, string? token, bool allowErrors = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (json["errors"] is { } errors && !allowErrors)
        {
            throw new InvalidOperationException($"GraphQL {query}: {errors.ToJsonString()}");
        }

        return json["data"] ?? new JsonObject();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            // SIGTERM: the host shuts down gracefully.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}

internal sealed record ExportResult(long Records, long Bytes, TimeSpan Elapsed, TimeSpan FirstByte, long RssBefore, long PeakRss, long HighWaterMark,
    string PeakByQuarter, CpuSnapshot Cpu)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    public override string ToString() =>
        $"{Records:N0} records, {Bytes / 1e6:F0} MB in {Elapsed.TotalSeconds:F2} s (first byte {FirstByte.TotalMilliseconds:F0} ms): " +
        $"{RecordsPerSecond:N0} records/s, " +
        $"{Bytes / 1e6 / Elapsed.TotalSeconds:F1} MB/s; server RSS {ProcessMemory.Megabytes(RssBefore)} before, " +
        $"peak {ProcessMemory.Megabytes(PeakRss)} while exporting (by quarter of the export: {PeakByQuarter}; " +
        $"VmHWM since start {ProcessMemory.Megabytes(HighWaterMark)}); " +
        $"CPU s: {Cpu.Describe(Records)}";
}

/// <summary>`eventstore-audit verify` on an export file, as its own process.</summary>
internal static class Verifier
{
    public static async Task<string> RunAsync(BenchPaths paths, string file)
    {
        var start = new ProcessStartInfo("dotnet", [paths.CliDll, "verify", file]) { RedirectStandardOutput = true };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        string output;
        long peak;
        double cpu;
        await using (var memory = new ProcessMemory(process.Id))
        {
            output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            peak = memory.HighWaterMarkBytes;
            cpu = memory.CpuSeconds;
        }

        clock.Stop();
        var firstLine = output.Split('\n')[0].Trim();
        var records = File.ReadLines(file).LongCount();
        return $"exit {process.ExitCode} in {clock.Elapsed.TotalSeconds:F2} s ({records / clock.Elapsed.TotalSeconds:N0} records/s), " +
               $"peak RSS {ProcessMemory.Megabytes(peak)}, CPU {cpu:F1} s ({records / Math.Max(cpu, 0.01):N0} records per CPU-second): {firstLine}";
    }
}

/// <summary>CPU seconds of the app, PostgreSQL (all its processes) and the bench itself between two points.</summary>
internal sealed record CpuSnapshot(double App, double Postgres, double Client)
{
    public static CpuSnapshot Take(int app, int postmaster) =>
        new(ProcessCpu.Seconds(app), ProcessCpu.TreeSeconds(postmaster), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);

    public CpuSnapshot Since(int app, int postmaster)
    {
        var now = Take(app, postmaster);
        return new CpuSnapshot(now.App - App, now.Postgres - Postgres, now.Client - Client);
    }

    public string Describe(long records) =>
        $"app {App:F1}, postgres {Postgres:F1}, client {Client:F1} " +
        $"(app {records / Math.Max(App, 0.01):N0} records per CPU-second, postgres {records / Math.Max(Postgres, 0.01):N0})";
}
