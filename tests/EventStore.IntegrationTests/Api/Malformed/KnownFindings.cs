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
    public static readonly IReadOnlyList<Finding> All =
    [
        // Wolverine logs every failed inline invocation at Error ("Invocation of X failed!", with the command's
        // ToString), client mistakes included: a validator's ValidationException, a guard's NOT_FOUND or CONFLICT, and
        // a command cancelled because its client went away. The client gets the right code; the log calls it a failure.
        // Owner: issue 19, "Logs" (client errors at Information or lower, without stack traces).
        new("client mistakes logged at Error by Wolverine",
            Log: e => e.Category.StartsWith("EventStore.Domain.", StringComparison.Ordinal)
                && e.Message.StartsWith("Invocation of ", StringComparison.Ordinal)
                && e.Exception is FluentValidation.ValidationException or EventStore.Domain.NotFoundException
                    or EventStore.Domain.ConflictException or EventStore.Domain.ForbiddenException
                    or EventStore.Domain.Trading.Accounts.InsufficientFundsException or OperationCanceledException,
            Request: _ => false),

        // A value someone else holds (a username, an e-mail address, a client order id) is refused by a unique index, as
        // designed (docs/events.md), and the client gets CONFLICT; Marten (the failed command) and Wolverine (the failed
        // invocation) log it at Error all the same. Owner: issue 19, "Logs".
        new("a taken unique value (CONFLICT) logged at Error by Marten and Wolverine",
            Log: e => (e.Category == "Marten.IDocumentStore" || e.Category.StartsWith("EventStore.Domain.", StringComparison.Ordinal))
                && Chain(e.Exception).Any(x => x is Npgsql.PostgresException { SqlState: "23505" } unique
                    && (unique.ConstraintName?.StartsWith("mt_doc_", StringComparison.Ordinal) ?? false)),
            Request: _ => false),

        // A client that goes away cancels its operation (over WebSocket: a close while a subscription loads its first
        // snapshot). Marten logs the cancelled command at Error ("Marten encountered an exception executing ...",
        // OperationCanceledException, or PostgreSQL's 57014 when the statement was already running). Nobody is left to
        // answer, nothing failed. Timing decides whether a run sees it. Owner: issue 19, "Logs".
        new("a query cancelled because its client left, logged at Error by Marten",
            Log: e => e.Category == "Marten.IDocumentStore"
                && Chain(e.Exception).Any(x => x is OperationCanceledException or Npgsql.PostgresException { SqlState: "57014" }),
            Request: _ => false),

        // Two audit reads in one operation (`{ auditStream(..) auditEvents(..) }`) run in parallel and both append to
        // the auditor's access-log stream; one loses the optimistic-concurrency race and Wolverine retries it, which
        // succeeds, but Marten (the unique-key violation) and Wolverine (the failed first attempt) log it at Error.
        // Marten's entry does not name the stream; the fuzz sends one request at a time and runs mutations serially, so
        // parallel root fields of a query (these audit reads) are its only source of two appends racing on one stream.
        // Owner: the audit module (one access-log append per operation), or issue 19 (expected, retried failures
        // logged below Error).
        new("a retried concurrency conflict on the audit access log logged at Error",
            Log: e => (e.Category == "Marten.IDocumentStore" || e.Category == "EventStore.Domain.Auditing.RecordAuditAccess")
                && Chain(e.Exception).Any(x => x is JasperFx.Events.EventStreamUnexpectedMaxEventIdException or JasperFx.ConcurrencyException
                    || x is Npgsql.PostgresException { SqlState: "23505", ConstraintName: "pk_mt_events_stream_and_version" }),
            Request: _ => false),
    ];

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
