using System.Text.RegularExpressions;

namespace EventStore.UnitTests.Architecture;

/// <summary>
/// Tests wait on facts, not time (docs/testing.md): a test that sleeps or polls on a delay is slow when the machine is
/// idle and flaky when it is loaded. Wait on a signal with a timeout instead: Marten's WaitForNonStaleProjectionDataAsync,
/// Wolverine's message tracking, a <c>Signal</c> raised by a stub, the database's LISTEN/NOTIFY (<c>DatabaseChanges</c>),
/// a subscription's next message. A delay that lets time pass belongs to a fake <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class NoPollingInTestsTests
{
    /// <summary>
    /// Files allowed to wait on time, relative to the repository. None today; a bounded backoff for something that sends
    /// no signal at all (a child process's port, say) goes in one shared helper, listed here with the reason.
    /// </summary>
    private static readonly string[] Allowed = [];

    /// <summary>This file names the calls it looks for.</summary>
    private const string Self = "tests/EventStore.UnitTests/Architecture/NoPollingInTestsTests.cs";

    [Fact]
    public void no_test_source_sleeps_or_delays_outside_the_one_allowed_helper()
    {
        var offences = new List<string>();
        foreach (var file in RepoFiles.CSharpFiles(Path.Combine(RepoFiles.Root, "tests")))
        {
            var relative = RepoFiles.FromRoot(file);
            if (relative == Self || Allowed.Contains(relative, StringComparer.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (Waiting().IsMatch(lines[i]))
                {
                    offences.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offences.Count == 0,
            "Tests wait on facts, not time: replace these with a wait on a signal with a timeout (docs/testing.md, "
            + "\"Waiting\"):\n" + string.Join('\n', offences));
    }

    [Fact]
    public void the_scan_reads_the_test_sources_including_this_one()
    {
        var files = RepoFiles.CSharpFiles(Path.Combine(RepoFiles.Root, "tests")).Select(RepoFiles.FromRoot).ToList();

        Assert.Contains(Self, files);
        Assert.Contains("tests/EventStore.IntegrationTests/Infrastructure/AppFixture.cs", files);
        Assert.DoesNotContain(files, f => f.Contains("/obj/", StringComparison.Ordinal) || f.Contains("/bin/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("await Task.Delay(50);", true)]
    [InlineData("await Task.WhenAny(call, Task.Delay(5));", true)]
    [InlineData("await Task .Delay (TimeSpan.FromSeconds(1), ct);", true)]
    [InlineData("Thread.Sleep(100);", true)]
    [InlineData("System.Threading.Thread.Sleep(100);", true)]
    [InlineData("await signal.WaitUntilAsync(() => done, TimeSpan.FromSeconds(10), () => \"late\");", false)]
    [InlineData("/// never a Task.Delay guess", false)]
    public void the_scan_recognises_a_sleep_or_a_delay(string line, bool waits) =>
        Assert.Equal(waits, Waiting().IsMatch(line));

    // A call, not a mention: prose in comments ("never Task.Delay") stays allowed.
    [GeneratedRegex(@"\b(?:Task\s*\.\s*Delay|Thread\s*\.\s*Sleep)\s*\(")]
    private static partial Regex Waiting();
}
