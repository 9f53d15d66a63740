using EventStore.Api.GraphQL.Errors;
using EventStore.GraphQL.Transport;
using GraphQL;

namespace EventStore.Api.GraphQL.Transport;

/// <summary>The transport's errors as the Api's <see cref="ApiError"/>s, shaped by <see cref="ApiErrorInfoProvider"/>.</summary>
public sealed class ApiTransportErrors : ITransportErrorFactory
{
    public ExecutionError Create(string code, string message, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new ApiError(code, message, extensions);

    public ExecutionError Internal(string errorId) => ErrorIds.Internal(errorId);

    /// <summary>A subscriber that fell too far behind: not a fault, a signal to resubscribe from its last cursor.</summary>
    public ExecutionError? StreamFailure(Exception exception) =>
        (exception as LiveFeed.SubscriberTooSlowException ?? exception.InnerException as LiveFeed.SubscriberTooSlowException) is { } slow
            ? new ApiError(ErrorCodes.SlowConsumer, slow.Message)
            : null;
}
