using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EventStore.Bench.Soak;

/// <summary>
/// The app as its own process (`dotnet EventStore.Api.dll`), always on the same loopback port so the clients keep one
/// address across restarts. <see cref="KillAsync"/> is kill -9 (SIGKILL): no shutdown hook, no flush, no goodbye to
/// PostgreSQL. Each incarnation logs to app-N.log in the work folder.
/// </summary>
internal sealed class SoakApp(string apiDll, string workDirectory, string connectionString) : IAsyncDisposable
{
    // Soak-only credentials for a throwaway database on loopback.
    private const string SigningKey = "durability-soak-signing-key-0123456789abcdef";

    /// <summary>
    /// The personal-data key-encryption key of this run's app, so that <see cref="StoreVerifier"/> can open the sealed
    /// client order ids in the stored events (a fresh throwaway key per run, for a throwaway database).
    /// </summary>
    public byte[] KeyEncryptionKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private readonly int _port = FreeLoopbackPort();
    private Process? _process;
    private int _incarnation;

    public Uri BaseUri => new($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/");

    public async Task<TimeSpan> StartAsync()
    {
        var clock = Stopwatch.StartNew();
        var log = Path.Combine(workDirectory, $"app-{++_incarnation}.log");
        var start = new ProcessStartInfo("dotnet", [apiDll])
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = BaseUri.ToString().TrimEnd('/'),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Postgres"] = connectionString,
                ["Jwt__SigningKey"] = SigningKey,
                ["PersonalData__KeyEncryptionKey"] = "base64:" + Convert.ToBase64String(KeyEncryptionKey),
                ["Bootstrap__AdminUsername"] = SoakAudit.AdminUsername,
                ["Bootstrap__AdminPassword"] = SoakAudit.Password,
                ["MarketData__Enabled"] = "false",
                ["GraphQL__RequestsPerMinutePerUser"] = "0",
                ["GraphQL__AnonymousRequestsPerMinute"] = "0",
                // A durability soak, not an authentication test: the bootstrapped admin and the auditor log in with a password
                // only (the default asks ADMIN and AUDITOR for a second factor), and the clients, the auditor's sign-up
                // retries and every restart log in from one address, more often than the login limits allow.
                ["Auth__Mfa__RequiredRoles"] = "none",
                ["GraphQL__AuthAttemptsPerUsername"] = "0",
                ["GraphQL__AuthAttemptsPerAddress"] = "0",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} during start-up; see {log}.");
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"The app was not ready within 3 minutes; see {log}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Report.Line($"app pid {process.Id} (incarnation {_incarnation}) ready on {BaseUri} in {clock.Elapsed.TotalSeconds:F1} s, log {log}");
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL (Process.Kill on Unix), then waits for the process to be gone.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The app is not running.");
        Report.Line($"kill -9 app pid {process.Id}");
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // SIGTERM: the last incarnation shuts down cleanly.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
        _process = null;
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is not null)
        {
            lock (writer)
            {
                writer.WriteLine(line);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
