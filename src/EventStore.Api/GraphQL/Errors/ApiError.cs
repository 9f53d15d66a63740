using GraphQL;

namespace EventStore.Api.GraphQL.Errors;

/// <summary>An error whose code and extra extensions (e.g. `field` for VALIDATION) are ours to choose.</summary>
public sealed class ApiError : ExecutionError
{
    public ApiError(string code, string message, IReadOnlyDictionary<string, object?>? extra = null)
        : base(message)
    {
        Code = code;
        Extra = extra ?? new Dictionary<string, object?>();
    }

    public IReadOnlyDictionary<string, object?> Extra { get; }
}
