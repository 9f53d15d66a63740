using System.Diagnostics;
using EventStore.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventStore.Bench.Soak;

/// <summary>
/// The soak's own PostgreSQL: a throwaway data directory in the work folder, initialised and started by the app's launcher
/// (initdb, pg_ctl start on a free loopback port), then restarted by the soak with `pg_ctl restart` while the app runs:
/// `-m fast` (clients disconnected, clean shutdown checkpoint) or `-m immediate` (no checkpoint: crash recovery from the WAL
/// on start). The restart reuses the port and options from postmaster.opts.
/// </summary>
internal sealed class SoakPostgres : IAsyncDisposable
{
    private readonly LocalPostgresServer _server;
    private readonly string _pgCtl;

    private SoakPostgres(LocalPostgresServer server, string pgCtl)
    {
        _server = server;
        _pgCtl = pgCtl;
    }

    public string ConnectionString => _server.ConnectionString;

    public static async Task<SoakPostgres> StartAsync(string dataDirectory)
    {
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, Database = "eventstore_soak" },
            NullLogger.Instance);
        var pgCtl = FindPgCtl();
        Report.Line($"PostgreSQL on 127.0.0.1:{server.Port}, data in {server.DataDirectory} ({pgCtl})");
        return new SoakPostgres(server, pgCtl);
    }

    /// <summary>`pg_ctl restart -m fast|immediate -w`: returns when the server accepts connections again.</summary>
    public async Task<TimeSpan> RestartAsync(string mode)
    {
        var clock = Stopwatch.StartNew();
        string[] arguments = ["-D", _server.DataDirectory, "-l", Path.Combine(_server.DataDirectory, "soak-restarts.log"),
            "-m", mode, "-w", "-t", "60", "restart"];
        // initdb and postgres refuse to run as root: the launcher ran them as `postgres`, so does the restart.
        var start = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", _pgCtl, .. arguments])
            : new ProcessStartInfo(_pgCtl, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = "/";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_ctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl restart -m {mode} exited with {process.ExitCode}: {await output} {await errors}");
        }

        return clock.Elapsed;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static string FindPgCtl()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "pg_ctl"));
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(folder => Path.Combine(folder, "bin", "pg_ctl"))
            : [];
        return onPath.Concat(installed).FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("pg_ctl is neither on PATH nor in /usr/lib/postgresql/*/bin.");
    }
}
