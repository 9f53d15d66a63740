using System.Security.Claims;
using GraphQL;
using GraphQLParser.AST;

namespace EventStore.GraphQL.Transport;

/// <summary>What a host does around each operation, over HTTP and WebSocket alike.</summary>
/// <param name="Services">The operation's services (the request's over HTTP, a scope of its own per WebSocket operation).</param>
/// <param name="User">Who sends it.</param>
/// <param name="CorrelationId">The request's trace id over HTTP; trace id and operation number over WebSocket.</param>
/// <param name="WaitForRoom">WebSocket only: waits until the connection's send queue has room (for producers that can wait).</param>
public sealed record GraphQLOperationStart(IServiceProvider Services, ClaimsPrincipal User, string CorrelationId,
    Func<CancellationToken, ValueTask>? WaitForRoom);

/// <summary>
/// The host's part in running an operation: who acts (for the events it causes), telemetry around the execution, and
/// the counters of connections and subscriptions.
/// </summary>
public interface IGraphQLOperationHooks
{
    /// <summary>Called once per operation before it executes, in the services it executes with.</summary>
    void Starting(GraphQLOperationStart operation);

    /// <summary>Whom a live subscription counts against (`GraphQL:WebSocketMaxSubscriptionsPerUser`).</summary>
    string SubscriptionOwner(GraphQLOperationStart operation);

    /// <summary>Executes the operation (<paramref name="executer"/> with <paramref name="options"/>), with the host's telemetry around it.</summary>
    Task<ExecutionResult> ExecuteAsync(IDocumentExecuter executer, ExecutionOptions options, GraphQLDocument? document, ILogger logger,
        string correlationId);

    void WebSocketOpened();

    void WebSocketClosed();

    void SubscriptionStarted();

    void SubscriptionEnded();
}

/// <summary>The default: executes as is; subscriptions count against the user's name, or `anonymous`.</summary>
public sealed class NoOperationHooks : IGraphQLOperationHooks
{
    public void Starting(GraphQLOperationStart operation)
    {
    }

    public string SubscriptionOwner(GraphQLOperationStart operation) => operation.User.Identity?.Name ?? "anonymous";

    public Task<ExecutionResult> ExecuteAsync(IDocumentExecuter executer, ExecutionOptions options, GraphQLDocument? document, ILogger logger,
        string correlationId) => executer.ExecuteAsync(options);

    public void WebSocketOpened()
    {
    }

    public void WebSocketClosed()
    {
    }

    public void SubscriptionStarted()
    {
    }

    public void SubscriptionEnded()
    {
    }
}
