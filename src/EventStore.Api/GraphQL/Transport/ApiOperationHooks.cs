using EventStore.Api.Auth;
using EventStore.Api.Telemetry;
using EventStore.GraphQL.Transport;
using GraphQL;
using GraphQLParser.AST;
using Wolverine;

namespace EventStore.Api.GraphQL.Transport;

/// <summary>
/// The Api's part in every operation the transport runs: who acts and under which correlation id (carried into every
/// message and event the operation causes), the live feed's pacing on a WebSocket, the span, log scope and metrics.
/// </summary>
public sealed class ApiOperationHooks(ApiMetrics metrics) : IGraphQLOperationHooks
{
    public void Starting(GraphQLOperationStart operation)
    {
        // Over WebSocket the correlation id numbers the operations: the client's operation id is free text that would be
        // stored in clear in every event and integration event, out of reach of an erasure.
        operation.Services.GetRequiredService<IMessageContext>().ActAs(operation.User, operation.CorrelationId);
        if (operation.WaitForRoom is { } waitForRoom)
        {
            operation.Services.GetRequiredService<LiveFeed.DeliveryPace>().WaitForRoom = waitForRoom;
        }
    }

    /// <summary>The actor the operation's message context acts as (a user id, or `anonymous`).</summary>
    public string SubscriptionOwner(GraphQLOperationStart operation) =>
        operation.Services.GetRequiredService<IMessageContext>().UserName ?? "anonymous";

    public Task<ExecutionResult> ExecuteAsync(IDocumentExecuter executer, ExecutionOptions options, GraphQLDocument? document, ILogger logger,
        string correlationId) =>
        GraphQLOperationTelemetry.ExecuteAsync(executer, options, document, metrics, logger, correlationId);

    public void WebSocketOpened() => metrics.WebSocketOpened();

    public void WebSocketClosed() => metrics.WebSocketClosed();

    public void SubscriptionStarted() => metrics.SubscriptionStarted();

    public void SubscriptionEnded() => metrics.SubscriptionEnded();
}
