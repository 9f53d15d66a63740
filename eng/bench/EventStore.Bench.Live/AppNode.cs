using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EventStore.Bench.Live;

/// <summary>One app process (`dotnet EventStore.Api.dll`) on a loopback port, its output in a log file.</summary>
public sealed class AppNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _disposed;

    private AppNode(string name, Process process, StreamWriter log, int port)
    {
        Name = name;
        _process = process;
        _log = log;
        HttpUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        SocketUri = new Uri($"ws://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/graphql");
    }

    public string Name { get; }

    /// <summary>The app's process id (CPU accounting from /proc).</summary>
    public int ProcessId => _process.Id;

    public Uri HttpUri { get; }

    public Uri SocketUri { get; }

    public static async Task<AppNode> StartAsync(string name, string appDll, string workDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreeLoopbackPort();
        // The app's content root is its working directory, and ASP.NET Core watches that folder and everything under it
        // for configuration changes. The bench's PostgreSQL and logs live in workDirectory: as the app's folder, every
        // WAL write would wake the app's file watcher (1.5 % of the machine's CPU under deposits). A folder of its own.
        var contentRoot = Directory.CreateDirectory(Path.Combine(workDirectory, name + "-root")).FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appDll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var log = new StreamWriter(Path.Combine(workDirectory, name + ".log")) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new AppNode(name, process, log, port);
        await node.WaitUntilReadyAsync();
        return node;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = HttpUri, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}; see {Name}.log");
            }

            try
            {
                if ((await http.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{Name} was not ready within 3 minutes; see {Name}.log");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>kill -9 (SIGKILL: Process.Kill on Unix): no shutdown hook, no goodbye to PostgreSQL. Returns when it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops the app (once: a bench may stop it early, before its own `await using` does).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            // SIGTERM: the app shuts down cleanly (Process.Kill would be SIGKILL).
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
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
        await _log.DisposeAsync();
    }
}
