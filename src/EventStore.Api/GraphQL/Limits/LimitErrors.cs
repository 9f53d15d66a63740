using System.Globalization;
using EventStore.Api.GraphQL.Errors;

namespace EventStore.Api.GraphQL.Limits;

/// <summary>The errors of the limits, shaped once (docs/api.md#limits).</summary>
public static class LimitErrors
{
    public const string RetryAfterExtension = "retryAfter";

    /// <summary>RATE_LIMITED with `retryAfter`: whole seconds, at least one.</summary>
    public static ApiError RateLimited(TimeSpan retryAfter) => new(ErrorCodes.RateLimited,
        "Too many requests: slow down and retry after the number of seconds in extensions.retryAfter.",
        new Dictionary<string, object?> { [RetryAfterExtension] = Seconds(retryAfter) });

    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Min(int.MaxValue, Math.Ceiling(retryAfter.TotalSeconds)));

    public static ApiError TooCostly(string reason, string what, long limit) => new(ErrorCodes.Validation,
        string.Create(CultureInfo.InvariantCulture, $"The document has too many {what}: at most {limit} are allowed."),
        new Dictionary<string, object?> { ["reason"] = reason });

    /// <summary>The seconds to wait, when the response holds a RATE_LIMITED error (for the HTTP `Retry-After` header).</summary>
    public static int? RetryAfterSeconds(global::GraphQL.ExecutionResult result) => result.Errors?
        .OfType<ApiError>()
        .Where(e => e.Code == ErrorCodes.RateLimited && e.Extra.ContainsKey(RetryAfterExtension))
        .Select(e => (int?)e.Extra[RetryAfterExtension])
        .Max();
}
