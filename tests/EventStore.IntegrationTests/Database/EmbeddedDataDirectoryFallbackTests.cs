using EventStore.IntegrationTests.Infrastructure;
using EventStore.LocalPostgres;
using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.Database;

/// <summary>
/// The real embedded server (local PostgreSQL binaries) started from a folder closed to other users (mode 700, like
/// root's home), with no data directory configured. As root the server runs as `postgres`, which cannot enter it: the
/// data goes under the fallback root (here a test folder standing in for /var/lib/eventstore), the log says where, and
/// a second start finds the same data. Run as another user, the default folder is used as it is.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and a root/postgres split are Unix things
public sealed class EmbeddedDataDirectoryFallbackTests
{
    [Fact]
    public async Task an_unreachable_default_data_folder_moves_to_a_reachable_one_and_stays_there()
    {
        Assert.True(PostgresBinaries.Find(null) is not null, "This test needs the PostgreSQL server binaries (apt-get install postgresql).");
        var root = Path.Combine(Path.GetTempPath(), $"eventstore-fallback-{Guid.NewGuid():N}");
        var closed = Path.Combine(root, "home");
        Directory.CreateDirectory(closed);
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new LocalPostgresOptions
        {
            DefaultDataDirectory = Path.Combine(closed, "app", ".data", "postgres"),
            FallbackRoot = Path.Combine(root, "var-lib-eventstore"),
            Database = "postgres",
        };
        var logs = new LogRecorder();
        var logger = logs.CreateLogger("embedded");
        try
        {
            string firstDirectory;
            await using (var server = await LocalPostgresServer.StartAsync(options, logger))
            {
                firstDirectory = server.DataDirectory;
            }

            await using var again = await LocalPostgresServer.StartAsync(options, logger);
            Assert.Equal(firstDirectory, again.DataDirectory);
            if (Environment.IsPrivilegedProcess)
            {
                Assert.StartsWith(options.FallbackRoot + Path.DirectorySeparatorChar, firstDirectory, StringComparison.Ordinal);
                var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains(firstDirectory, StringComparison.Ordinal)).ToList();
                Assert.Equal(2, warnings.Count);
                Assert.Contains($"cannot enter {closed} ", warnings[0].Message, StringComparison.Ordinal);
                Assert.False(File.GetUnixFileMode(options.FallbackRoot).HasFlag(UnixFileMode.OtherWrite));
            }
            else
            {
                Assert.Equal(options.DefaultDataDirectory, firstDirectory);
            }

            Assert.True(File.Exists(Path.Combine(firstDirectory, "PG_VERSION")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task an_unreachable_configured_data_folder_stops_the_start_with_a_clear_message()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            // Not root: the server runs as this user, who can enter its own folders, so there is nothing to refuse.
            Assert.Null(ServerAccount.Detect().UserName);
            return;
        }

        var root = Path.Combine(Path.GetTempPath(), $"eventstore-fallback-{Guid.NewGuid():N}");
        var closed = Path.Combine(root, "home");
        Directory.CreateDirectory(closed);
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var options = new LocalPostgresOptions { DataDirectory = Path.Combine(closed, "pg"), FallbackRoot = Path.Combine(root, "fallback") };

            var error = await Assert.ThrowsAsync<LocalPostgresException>(() => LocalPostgresServer.StartAsync(options, new LogRecorder().CreateLogger("x")));

            Assert.Contains("EmbeddedPostgres:DataDirectory", error.Message, StringComparison.Ordinal);
            Assert.Contains($"cannot enter {closed} ", error.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(options.FallbackRoot));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
