using System.Globalization;
using GraphQL;

namespace EventStore.GraphQL.Transport.Limits;

/// <summary>The errors of the limits, shaped once (docs/api.md#limits).</summary>
public static class LimitErrors
{
    public const string RetryAfterExtension = "retryAfter";

    /// <summary>RATE_LIMITED with `retryAfter`: whole seconds, at least one.</summary>
    public static ExecutionError RateLimited(ITransportErrorFactory errors, TimeSpan retryAfter)
    {
        var extensions = new Dictionary<string, object?> { [RetryAfterExtension] = Seconds(retryAfter) };
        var error = errors.Create(TransportErrorCodes.RateLimited,
            "Too many requests: slow down and retry after the number of seconds in extensions.retryAfter.", extensions);
        // Kept on the error itself too, whatever the host's error type: RetryAfterSeconds reads it back from there.
        error.Extensions = new Dictionary<string, object?>(extensions);
        return error;
    }

    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Min(int.MaxValue, Math.Ceiling(retryAfter.TotalSeconds)));

    public static ExecutionError TooCostly(ITransportErrorFactory errors, string reason, string what, long limit) => errors.Create(
        TransportErrorCodes.Validation,
        string.Create(CultureInfo.InvariantCulture, $"The document has too many {what}: at most {limit} are allowed."),
        new Dictionary<string, object?> { ["reason"] = reason });

    /// <summary>The seconds to wait, when the response holds a RATE_LIMITED error (for the HTTP `Retry-After` header).</summary>
    public static int? RetryAfterSeconds(ExecutionResult result) => result.Errors?
        .Where(e => e.Code == TransportErrorCodes.RateLimited && e.Extensions?.ContainsKey(RetryAfterExtension) == true)
        .Select(e => e.Extensions![RetryAfterExtension] as int?)
        .Max();
}
