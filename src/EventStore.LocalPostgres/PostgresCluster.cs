namespace EventStore.LocalPostgres;

/// <summary>initdb and pg_ctl against one data directory, run as the right OS account.</summary>
internal sealed class PostgresCluster(string binDirectory, ServerAccount account, PostgresDataDirectory data)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);
    private const string ServerWaitSeconds = "60";

    public string BinDirectory => binDirectory;

    public PostgresDataDirectory Data => data;

    /// <summary>
    /// Runs initdb into a staging folder, writes the credentials file, then renames the folder into place:
    /// an interrupted first start never leaves a half-made data directory or one without its password.
    /// </summary>
    public async Task InitialiseAsync(PostgresCredentials credentials, CancellationToken ct)
    {
        var staging = data.StagingPath;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        PostgresDataDirectory.CreatePrivateFolder(staging);
        var pgdata = Path.Combine(staging, "pgdata");
        var passwordFile = Path.Combine(staging, "pwfile");
        PostgresDataDirectory.WritePrivateFile(passwordFile, credentials.Password);
        await account.TakeOwnershipAsync(staging, ct);

        var result = await RunAsync("initdb", [
            "-D", pgdata, "-U", credentials.Username, "--auth=scram-sha-256", "--pwfile=" + passwordFile,
            "-E", "UTF8", "--locale=C"], ct);
        File.Delete(passwordFile);
        if (!result.Succeeded)
        {
            throw LocalPostgresException.Failed($"initdb could not initialise {data.FullPath}.", result.Describe());
        }

        PostgresDataDirectory.WriteCredentials(pgdata, credentials);
        if (Directory.Exists(data.FullPath))
        {
            Directory.Delete(data.FullPath); // empty (checked before): Move needs the name free
        }

        Directory.Move(pgdata, data.FullPath);
        Directory.Delete(staging, recursive: true);
    }

    /// <summary>pg_ctl status: true when a live postmaster owns the data directory (a stale postmaster.pid is not).</summary>
    public async Task<bool> IsRunningAsync(CancellationToken ct)
    {
        var result = await RunAsync("pg_ctl", ["-D", data.FullPath, "status"], ct);
        return result.ExitCode switch
        {
            0 => true,
            3 => false, // "no server running", also when postmaster.pid is left over from a dead server
            _ => throw LocalPostgresException.Failed($"pg_ctl could not tell whether a server runs on {data.FullPath}.", result.Describe()),
        };
    }

    public async Task StartAsync(int port, CancellationToken ct)
    {
        // Unix sockets off: nothing needs /var/run/postgresql. pg_ctl -w still sees readiness, because since
        // PostgreSQL 10 it waits for the "ready" status in postmaster.pid instead of connecting.
        var serverOptions = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        var result = await RunAsync("pg_ctl", [
            "-D", data.FullPath, "-l", data.LogFile, "-w", "-t", ServerWaitSeconds, "-o", serverOptions, "start"], ct);
        if (!result.Succeeded)
        {
            throw LocalPostgresException.Failed(
                $"PostgreSQL did not start on 127.0.0.1:{port} with data directory {data.FullPath}.",
                result.Describe() + Environment.NewLine + data.LogTail());
        }
    }

    /// <summary>pg_ctl stop -m fast (rolls back open transactions, no waiting for clients); false when none ran.</summary>
    public async Task<bool> StopAsync(CancellationToken ct)
    {
        if (!await IsRunningAsync(ct))
        {
            return false;
        }

        var result = await RunAsync("pg_ctl", ["-D", data.FullPath, "-m", "fast", "-w", "-t", ServerWaitSeconds, "stop"], ct);
        if (!result.Succeeded && await IsRunningAsync(ct))
        {
            throw LocalPostgresException.Failed(
                $"PostgreSQL on {data.FullPath} did not stop.", result.Describe() + Environment.NewLine + data.LogTail());
        }

        return true;
    }

    private Task<ProcessResult> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken ct) =>
        ChildProcess.RunAsync(account.Command(PostgresBinaries.Executable(binDirectory, tool), arguments), ToolTimeout, ct);
}
