using System.Security.Cryptography;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation.Errors.Custom;

namespace EventStore.GraphQL.Transport;

/// <summary>The `extensions.code` values the transport and the limits use (the same strings as the host's own codes).</summary>
public static class TransportErrorCodes
{
    public const string BadRequest = "BAD_REQUEST";
    public const string Validation = "VALIDATION";
    public const string RateLimited = "RATE_LIMITED";
    public const string Internal = "INTERNAL";
    public const string TooManyErrors = "TOO_MANY_ERRORS";
}

/// <summary>
/// How the host shapes an error the transport raises: the host's error type carries the code and the extensions, and the
/// host's <see cref="IErrorInfoProvider"/> writes them as `{ message, extensions: { code, ... } }`. The transport never
/// needs the host's error classes, only this.
/// </summary>
public interface ITransportErrorFactory
{
    /// <summary>An error with <paramref name="code"/> in `extensions.code` and <paramref name="extensions"/> beside it.</summary>
    ExecutionError Create(string code, string message, IReadOnlyDictionary<string, object?>? extensions = null);

    /// <summary>The INTERNAL error a caller gets for a fault of ours, logged under <paramref name="errorId"/>.</summary>
    ExecutionError Internal(string errorId);

    /// <summary>A subscription stream's failure the client should see as it is (for example a slow consumer); null for a fault.</summary>
    ExecutionError? StreamFailure(Exception exception);
}

/// <summary>A fault of ours is logged with an id the caller also gets (`extensions.errorId` of the INTERNAL error).</summary>
public static class TransportErrorIds
{
    public const string Extension = "errorId";

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

/// <summary>The transport's own error type, for a host without one (<see cref="TransportErrorFactory"/>).</summary>
public sealed class TransportError : ExecutionError
{
    public TransportError(string code, string message, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(message)
    {
        Code = code;
        Extensions = extensions is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(extensions);
    }
}

/// <summary>The default <see cref="ITransportErrorFactory"/>: <see cref="TransportError"/>s, shown by <see cref="TransportErrorInfoProvider"/>.</summary>
public sealed class TransportErrorFactory : ITransportErrorFactory
{
    public const string InternalMessage = "An internal error occurred. It has been logged.";

    public ExecutionError Create(string code, string message, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new TransportError(code, message, extensions);

    public ExecutionError Internal(string errorId) => new TransportError(TransportErrorCodes.Internal, InternalMessage,
        new Dictionary<string, object?> { [TransportErrorIds.Extension] = errorId });

    public ExecutionError? StreamFailure(Exception exception) => null;
}

/// <summary>
/// Shows a <see cref="TransportError"/> as `{ message, extensions: { code, ... } }`, the depth and complexity caps as
/// VALIDATION with `reason` QUERY_TOO_COMPLEX (as the Api shows them), and anything else as GraphQL.NET does, without
/// exception details. For a host without its own provider.
/// </summary>
public sealed class TransportErrorInfoProvider : IErrorInfoProvider
{
    private readonly ErrorInfoProvider _fallback = new();

    public ErrorInfo GetInfo(ExecutionError executionError) => executionError switch
    {
        TransportError error => new ErrorInfo
        {
            Message = error.Message,
            Extensions = new Dictionary<string, object?>(error.Extensions!) { ["code"] = error.Code },
        },
        ComplexityError => new ErrorInfo
        {
            Message = executionError.Message,
            Extensions = new Dictionary<string, object?> { ["code"] = TransportErrorCodes.Validation, ["reason"] = "QUERY_TOO_COMPLEX" },
        },
        _ => _fallback.GetInfo(executionError),
    };
}
