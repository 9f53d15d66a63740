using System.Security.Cryptography;
using System.Text;

namespace EventStore.LocalPostgres;

/// <summary>
/// Where the embedded server keeps its data. A configured folder is used as given: when the server's OS account cannot
/// reach it the app stops and says why, because user-chosen data is never moved. The default folder (.data/postgres
/// under the working directory) is used when that account can reach it; a root process started from a folder closed
/// to others (root's home, mode 700, the usual case in a container) gets a folder under <see cref="FallbackRoot"/>
/// instead, named after a hash of the default path, so that every run from the same folder finds the same data.
/// </summary>
/// <param name="FullPath">The data directory to use.</param>
/// <param name="InsteadOf">The default data directory it replaces; null when it is the configured or default one.</param>
/// <param name="BlockedFolder">The folder the account could not enter on the way to <paramref name="InsteadOf"/>.</param>
internal sealed record DataDirectoryPlacement(string FullPath, string? InsteadOf, string? BlockedFolder)
{
    public const string DefaultPath = ".data/postgres";

    /// <summary>Root-owned and not writable by others (/var/lib is 0755 root), so nobody else can plant a folder there.</summary>
    public const string FallbackRoot = "/var/lib/eventstore";

    /// <param name="configured">EmbeddedPostgres:DataDirectory, null when unset.</param>
    /// <param name="defaultPath">The default data directory (relative paths are relative to the working directory).</param>
    /// <param name="fallbackRoot">Parent of the replacement folder.</param>
    /// <param name="account">The OS account the server runs as when it differs from ours; null when it is ours.</param>
    /// <param name="canEnter">Whether <paramref name="account"/> can enter a folder (a folder that does not exist yet
    /// counts as enterable: the app creates it).</param>
    public static DataDirectoryPlacement Choose(
        string? configured, string defaultPath, string fallbackRoot, string? account, Func<string, bool> canEnter)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var chosen = Path.GetFullPath(configured);
            if (account is not null && FirstBlockedFolder(chosen, canEnter) is { } blockedChosen)
            {
                throw Unreachable(account, blockedChosen, chosen, configuredByUser: true);
            }

            return new DataDirectoryPlacement(chosen, null, null);
        }

        var preferred = Path.GetFullPath(defaultPath);
        if (account is null || FirstBlockedFolder(preferred, canEnter) is not { } blocked)
        {
            return new DataDirectoryPlacement(preferred, null, null);
        }

        var fallback = Path.Combine(Path.GetFullPath(fallbackRoot), FallbackName(preferred));
        if (FirstBlockedFolder(fallback, canEnter) is { } blockedFallback)
        {
            throw Unreachable(account, blockedFallback, fallback, configuredByUser: false, preferred);
        }

        return new DataDirectoryPlacement(fallback, preferred, blocked);
    }

    /// <summary>`postgres-` and the first 16 hex digits of the SHA-256 of the default path: stable, and one per checkout.</summary>
    public static string FallbackName(string defaultFullPath) =>
        "postgres-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(defaultFullPath)))[..16];

    /// <summary>The first folder above <paramref name="dataDirectory"/>, from the root down, that cannot be entered.</summary>
    public static string? FirstBlockedFolder(string dataDirectory, Func<string, bool> canEnter)
    {
        var folders = new List<string>();
        for (var folder = Path.GetDirectoryName(dataDirectory); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            folders.Add(folder);
        }

        folders.Reverse();
        return folders.FirstOrDefault(folder => !canEnter(folder));
    }

    public static LocalPostgresException Unreachable(
        string account, string folder, string dataDirectory, bool configuredByUser, string? defaultDirectory = null) =>
        new(
            $"The API runs as root, so PostgreSQL runs as the '{account}' user, which cannot enter {folder} " +
            $"(no execute permission for others) on the way to the data directory {dataDirectory}" +
            (configuredByUser
                ? $" ({LocalPostgresOptions.SectionName}:DataDirectory). "
                : $", which the app chose because the default {defaultDirectory} cannot be reached either. ") +
            $"Set {LocalPostgresOptions.SectionName}:DataDirectory to a path every user can reach, " +
            $"for example {FallbackRoot}/postgres, or run `chmod o+x {folder}`, " +
            "or set ConnectionStrings__Postgres to an existing server.");
}
