using EventStore.Domain;
using Npgsql;

namespace EventStore.Api.Logging;

/// <summary>
/// The exceptions that mean "the caller asked for something the rules refuse", not "we failed": the API answers them
/// with a client error code (VALIDATION, NOT_FOUND, FORBIDDEN, CONFLICT), so a log line at Error for them is noise
/// that hides real faults (issue 19). Also the expected races, which Wolverine retries (docs/security.md#concurrency),
/// and work cancelled because its caller went away. Refusals are recognised by type: a <see cref="DomainException"/>
/// by its code, the store's refusals as <see cref="StoreConflicts"/> types them.
/// </summary>
public static class ClientMistakes
{
    private static readonly HashSet<string> ClientMistakeNames =
    [
        nameof(FluentValidation.ValidationException), nameof(Assistant.AssistantRateLimitedException),
        nameof(JasperFx.ConcurrencyException), nameof(JasperFx.Events.EventStreamUnexpectedMaxEventIdException),
        nameof(JasperFx.Events.ExistingStreamIdCollisionException), nameof(JasperFx.DocumentAlreadyExistsException),
        nameof(OperationCanceledException), nameof(TaskCanceledException),
        // Every refusal of the Domain (ConflictException, NotFoundException, InsufficientFundsException, ...).
        .. typeof(DomainException).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DomainException))).Select(t => t.Name),
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
                case Assistant.AssistantRateLimitedException:
                    return "rate limited";
                case OperationCanceledException:
                    return "cancelled";
                // Marten logs a failed command with the database's violation before it types it: the same refusals, raw.
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } race when StoreConflicts.IsStreamVersionRace(race):
                    return "concurrent change";
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } taken when StoreConflicts.IsDocumentDuplicate(taken):
                    return "conflict";
                // Npgsql's cancel request for a caller that left; a statement timeout (also 57014) stays a fault. PostgreSQL
                // gives the two the same code, so only its own text tells them apart.
                case PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } cancelled
                    when cancelled.MessageText.Contains("user request", StringComparison.Ordinal):
                    return "cancelled";
                case PostgresException:
                    continue;
            }

            switch (StoreConflicts.TranslateThrown(e))
            {
                case ConcurrentChangeException:
                    return "concurrent change";
                case { Code: DomainErrorCodes.NotFound }:
                    return "not found";
                case { Code: DomainErrorCodes.Forbidden }:
                    return "forbidden";
                // A rule refused it, or something with this id or unique value exists already (a taken username, or a
                // first use that lost a race).
                case not null:
                    return "conflict";
            }
        }

        return null;
    }
}
