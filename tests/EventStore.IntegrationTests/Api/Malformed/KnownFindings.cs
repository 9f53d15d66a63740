using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// What the fuzz finds that belongs to other work (another item of issue 15, or another issue), listed here so that the
/// fuzz stays strict about everything else: a finding's log entries and INTERNAL answers are counted and printed, not
/// failed. Each entry names the work that owns it. Delete the entry when that work is merged, and the fuzz holds the
/// line from then on.
/// </summary>
internal static class KnownFindings
{
    // Empty since issue 19 ("Logs"): client mistakes (validation, not found, forbidden, conflict, a taken unique value),
    // retried races and work cancelled by a leaving client are logged at Information without a stack trace
    // (src/EventStore.Api/Logging), so the four findings once listed here (Wolverine's and Marten's Error lines for them)
    // are gone and the fuzz fails on any Error again.
    public static readonly IReadOnlyList<Finding> All = [];

    public static Finding? Match(LogEntry entry) => All.FirstOrDefault(f => f.Log(entry));

    /// <summary>The entries no finding explains; the others are counted in <paramref name="known"/> by finding.</summary>
    public static List<LogEntry> Unexplained(IEnumerable<LogEntry> entries, SortedDictionary<string, int> known)
    {
        var unexplained = new List<LogEntry>();
        foreach (var entry in entries)
        {
            if (Match(entry) is { } finding)
            {
                known[finding.Name + " (log)"] = known.GetValueOrDefault(finding.Name + " (log)") + 1;
            }
            else
            {
                unexplained.Add(entry);
            }
        }

        return unexplained;
    }

    public static Finding? MatchInternal(string requestBody) => All.FirstOrDefault(f => f.Request(requestBody));

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    internal sealed record Finding(string Name, Func<LogEntry, bool> Log, Func<string, bool> Request);
}
