using System.Diagnostics;

namespace EventStore.LocalPostgres;

/// <summary>
/// The OS account the PostgreSQL tools run as. initdb and postgres refuse to run as root, so a root process
/// runs them as `postgres` (or `nobody`) through runuser, falling back to su.
/// </summary>
internal sealed class ServerAccount
{
    private readonly string? switcher;

    private ServerAccount(string? userName, string? switcher)
    {
        UserName = userName;
        this.switcher = switcher;
    }

    /// <summary>The unprivileged user the tools run as; null when they run as the current user.</summary>
    public string? UserName { get; }

    public static ServerAccount Detect()
    {
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            return new ServerAccount(null, null);
        }

        var user = UserExists("postgres") ? "postgres" : "nobody";
        var switcher = PostgresBinaries.FindOnPath("runuser", "/usr/sbin/runuser", "/sbin/runuser")
            ?? PostgresBinaries.FindOnPath("su", "/bin/su", "/usr/bin/su")
            ?? throw new LocalPostgresException(
                $"The API runs as root, and initdb/postgres refuse to run as root, but neither runuser nor su was found to run them as '{user}'. " +
                "Run the API as an unprivileged user, or install util-linux (runuser), " +
                "or set ConnectionStrings__Postgres to an existing server.");
        return new ServerAccount(user, switcher);
    }

    /// <summary>A start info that runs <paramref name="executable"/> as <see cref="UserName"/>.</summary>
    public ProcessStartInfo Command(string executable, IEnumerable<string> arguments)
    {
        if (UserName is null || switcher is null)
        {
            var direct = new ProcessStartInfo(executable);
            foreach (var argument in arguments)
            {
                direct.ArgumentList.Add(argument);
            }

            return direct;
        }

        // The tools get absolute paths only; "/" keeps them from failing on a working directory they cannot enter.
        var start = new ProcessStartInfo(switcher) { WorkingDirectory = "/" };
        if (Path.GetFileName(switcher) == "runuser")
        {
            foreach (var argument in (string[])["-u", UserName, "--", executable, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            var script = string.Join(' ', arguments.Prepend(executable).Select(ShellQuote));
            foreach (var argument in (string[])["-s", "/bin/sh", UserName, "-c", script])
            {
                start.ArgumentList.Add(argument);
            }
        }

        return start;
    }

    /// <summary>Hands <paramref name="path"/> (recursively) to <see cref="UserName"/>; no-op when not switching.</summary>
    public async Task TakeOwnershipAsync(string path, CancellationToken ct)
    {
        if (UserName is null)
        {
            return;
        }

        var chown = PostgresBinaries.FindOnPath("chown", "/bin/chown", "/usr/bin/chown") ?? "chown";
        var start = new ProcessStartInfo(chown) { ArgumentList = { "-R", UserName + ":", path } };
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(120), ct);
        if (!result.Succeeded)
        {
            throw LocalPostgresException.Failed($"Could not give {path} to the '{UserName}' user.", result.Describe());
        }
    }

    /// <summary>
    /// Every folder above the data directory must be enterable by <see cref="UserName"/>. Checked on the
    /// "others" execute bit: the user is not root, so only that bit surely grants it.
    /// </summary>
    public void EnsureTraversable(string dataDirectory)
    {
        if (UserName is null || OperatingSystem.IsWindows())
        {
            return;
        }

        if (DataDirectoryPlacement.FirstBlockedFolder(dataDirectory, OthersCanEnter) is { } folder)
        {
            throw DataDirectoryPlacement.Unreachable(UserName, folder, dataDirectory, configuredByUser: true);
        }
    }

    /// <summary>The probe behind <see cref="EnsureTraversable"/>; a folder that does not exist yet counts (the app creates it).</summary>
    public static bool OthersCanEnter(string folder) =>
        OperatingSystem.IsWindows() || !Directory.Exists(folder) || File.GetUnixFileMode(folder).HasFlag(UnixFileMode.OtherExecute);

    private static bool UserExists(string name) =>
        File.Exists("/etc/passwd") &&
        File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
}
