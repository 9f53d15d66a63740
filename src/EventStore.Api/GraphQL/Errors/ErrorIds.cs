using System.Security.Cryptography;

namespace EventStore.Api.GraphQL.Errors;

/// <summary>
/// A fault of ours is logged at Error with an id that the caller also gets (`extensions.errorId` of the INTERNAL
/// error): a user's report then finds the one log line, and the line its trace id.
/// </summary>
public static class ErrorIds
{
    public const string Extension = "errorId";

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The INTERNAL error a caller gets for a fault logged under <paramref name="errorId"/>.</summary>
    public static ApiError Internal(string errorId) => new(ErrorCodes.Internal, ApiErrorInfoProvider.InternalErrorMessage,
        new Dictionary<string, object?> { [Extension] = errorId });
}
