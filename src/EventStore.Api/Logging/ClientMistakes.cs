using EventStore.Domain;
using Npgsql;

namespace EventStore.Api.Logging;

/// <summary>
/// The exceptions that mean "the caller asked for something the rules refuse", not "we failed": the API answers them
/// with a client error code (VALIDATION, NOT_FOUND, FORBIDDEN, CONFLICT), so a log line at Error for them is noise
/// that hides real faults (issue 19). Also the expected races, which Wolverine retries (docs/security.md#concurrency),
/// and work cancelled because its caller went away.
/// </summary>
public static class ClientMistakes
{
    private static readonly HashSet<string> ClientMistakeNames =
    [
        nameof(FluentValidation.ValidationException), nameof(NotFoundException), nameof(ForbiddenException), nameof(ConflictException),
        nameof(Domain.Trading.Accounts.InsufficientFundsException), nameof(Assistant.AssistantRateLimitedException),
        nameof(JasperFx.ConcurrencyException), nameof(JasperFx.Events.EventStreamUnexpectedMaxEventIdException),
        nameof(JasperFx.Events.ExistingStreamIdCollisionException), nameof(JasperFx.DocumentAlreadyExistsException),
        nameof(OperationCanceledException), nameof(TaskCanceledException),
    ];

    /// <summary>Whether an exception type's short name (as Wolverine puts it in a span's status) is a client mistake.</summary>
    public static bool IsClientMistakeName(string? typeName) => typeName is not null && ClientMistakeNames.Contains(typeName);

    /// <summary>A short name for the refusal, or null when <paramref name="exception"/> is a fault of ours.</summary>
    public static string? Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case FluentValidation.ValidationException:
                    return "validation";
                case NotFoundException:
                    return "not found";
                case ForbiddenException:
                    return "forbidden";
                case ConflictException or Domain.Trading.Accounts.InsufficientFundsException:
                    return "conflict";
                case Assistant.AssistantRateLimitedException:
                    return "rate limited";
                case JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException:
                    return "concurrent change";
                // Something with this id or unique value exists already (a taken username, or a first use that lost a race).
                case JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
                    or JasperFx.DocumentAlreadyExistsException:
                    return "conflict";
                case OperationCanceledException:
                    return "cancelled";
                // A unique index of ours refused a taken value (username, e-mail, client order id): the client gets CONFLICT.
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
                    when unique.ConstraintName?.StartsWith("mt_doc_", StringComparison.Ordinal) == true:
                    return "conflict";
                // Two appends raced on one stream; the loser is retried on fresh state.
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_mt_events_stream_and_version" }:
                    return "concurrent change";
                // Npgsql's cancel request for a caller that left; a statement timeout (also 57014) stays a fault.
                case PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } cancelled
                    when cancelled.MessageText.Contains("user request", StringComparison.Ordinal):
                    return "cancelled";
            }
        }

        return null;
    }
}
