namespace EventStore.Api.GraphQL.Errors;

/// <summary>The `extensions.code` values clients can rely on (docs/api.md).</summary>
public static class ErrorCodes
{
    public const string Validation = "VALIDATION";
    public const string Conflict = Domain.DomainErrorCodes.Conflict;
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = Domain.DomainErrorCodes.Forbidden;
    public const string NotFound = Domain.DomainErrorCodes.NotFound;
    public const string RateLimited = "RATE_LIMITED";
    public const string Internal = "INTERNAL";
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>PostgreSQL is out of reach for a moment (a restart): retry after `extensions.retryAfter` seconds.</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The last error of a response that had more than `GraphQL:MaxErrors`: how many were left out.</summary>
    public const string TooManyErrors = "TOO_MANY_ERRORS";

    /// <summary>A subscription's buffer overflowed: resubscribe with `after` = the last sequence received.</summary>
    public const string SlowConsumer = "SLOW_CONSUMER";

    /// <summary>Pre-trade risk refused an order; it is recorded (status REJECTED), `extensions.reason` says why.</summary>
    public const string OrderRejected = "ORDER_REJECTED";
}
