namespace EventStore.LocalPostgres;

/// <summary>Finds the folder holding the PostgreSQL server binaries (initdb, pg_ctl, postgres).</summary>
public static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";
    private static readonly string[] ServerBinaries = ["initdb", "pg_ctl", "postgres"];

    /// <summary>
    /// The configured folder when it holds the binaries (null when it does not), else the first PATH entry
    /// with initdb and pg_ctl (following symlinks to the real folder), else the highest /usr/lib/postgresql/*/bin.
    /// </summary>
    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var folder = Path.GetFullPath(configured);
            return HoldsServerBinaries(folder) ? folder : null;
        }

        return FromPath() ?? HighestDebianVersion();
    }

    internal static string Executable(string binDirectory, string name) =>
        Path.Combine(binDirectory, OperatingSystem.IsWindows() ? name + ".exe" : name);

    internal static string? FindOnPath(string name, params string[] fallbacks) =>
        PathEntries().Select(dir => Path.Combine(dir, name)).Concat(fallbacks).FirstOrDefault(File.Exists);

    private static bool HoldsServerBinaries(string folder) =>
        ServerBinaries.All(name => File.Exists(Executable(folder, name)));

    private static string[] PathEntries() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? FromPath()
    {
        foreach (var entry in PathEntries())
        {
            var pgCtl = Executable(entry, "pg_ctl");
            if (!File.Exists(pgCtl) || !File.Exists(Executable(entry, "initdb")))
            {
                continue;
            }

            // PATH often holds symlinks (/usr/local/bin/pg_ctl -> /usr/lib/postgresql/15/bin/pg_ctl) or
            // distribution wrappers without `postgres` beside them; pg_ctl needs the real folder to find postgres.
            var real = RealFolder(pgCtl);
            if (real is not null && HoldsServerBinaries(real))
            {
                return real;
            }

            if (HoldsServerBinaries(entry))
            {
                return Path.GetFullPath(entry);
            }
        }

        return null;
    }

    private static string? RealFolder(string file)
    {
        try
        {
            var target = File.ResolveLinkTarget(file, returnFinalTarget: true);
            return Path.GetDirectoryName(target?.FullName ?? Path.GetFullPath(file));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? HighestDebianVersion()
    {
        if (!Directory.Exists(DebianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(DebianRoot)
            .Select(dir => (Bin: Path.Combine(dir, "bin"), Version: ParseVersion(Path.GetFileName(dir))))
            .Where(candidate => candidate.Version is not null && HoldsServerBinaries(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    // Folder names are "15", "17" or, before PostgreSQL 10, "9.6": compare them as versions, not strings.
    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;
}
