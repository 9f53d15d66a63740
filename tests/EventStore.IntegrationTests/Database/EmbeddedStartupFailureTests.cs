using System.Diagnostics;
using EventStore.LocalPostgres;

namespace EventStore.IntegrationTests.Database;

/// <summary>
/// The real entry point (`dotnet EventStore.Api.dll`, a child process) with the embedded PostgreSQL and a setting that
/// fails after the server started (a too short Jwt:SigningKey): the app exits with 1 and its PostgreSQL is stopped too.
/// </summary>
public sealed class EmbeddedStartupFailureTests
{
    [Fact]
    public async Task a_start_that_fails_after_the_embedded_postgres_started_stops_it()
    {
        Assert.True(PostgresBinaries.Find(null) is not null, "This test needs the PostgreSQL server binaries (apt-get install postgresql).");
        // Directly under the temp folder (mode 1777): the server's account must reach it (docs/operations.md).
        var directory = Path.Combine(Path.GetTempPath(), $"eventstore-embedded-failure-{Guid.NewGuid():N}");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["EmbeddedPostgres__DataDirectory"] = directory,
                    ["Jwt__SigningKey"] = "too-short",
                    ["ConnectionStrings__Postgres"] = "",
                    ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                    ["MarketData__Enabled"] = "false",
                },
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EventStore.Api.dll"));
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout + await stderr;

            Assert.Equal(1, process.ExitCode);
            Assert.Contains("Jwt:SigningKey", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "PG_VERSION")), "the embedded server never started: " + output);
            Assert.False(File.Exists(Path.Combine(directory, "postmaster.pid")), "PostgreSQL is still running: " + output);
        }
        finally
        {
            // A failed run must not leave its server behind either: the first line of postmaster.pid is the server's id.
            var pidFile = Path.Combine(directory, "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
            {
                using var server = Process.GetProcessById(pid);
                server.Kill();
                await server.WaitForExitAsync();
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
