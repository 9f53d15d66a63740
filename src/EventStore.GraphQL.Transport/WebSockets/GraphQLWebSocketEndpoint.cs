using System.Net.WebSockets;
using EventStore.GraphQL.Transport.Requests;
using GraphQL;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>
/// GraphQL over WebSocket on `/graphql`, the graphql-transport-ws protocol (PROTOCOL.md of enisdenjo/graphql-ws),
/// so the npm `graphql-ws` client and Apollo's work unchanged. A socket that does not offer the
/// `graphql-transport-ws` subprotocol is accepted without one and closed at once with 4406, as the reference server
/// does (a browser that offered only other subprotocols fails the handshake instead).
/// </summary>
/// <typeparam name="TSchema">The host's schema (GraphQL.NET's executer resolves it from the operation's services).</typeparam>
public sealed class GraphQLWebSocketEndpoint<TSchema>(
    IDocumentExecuter<TSchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLRequestReader reader,
    IGraphQLConnectionAuthenticator authenticator,
    IServiceScopeFactory scopes,
    IOptions<GraphQLOptions> limits,
    IOptions<GraphQLWebSocketOptions> options,
    AllowedOrigins origins,
    ITransportErrorFactory errors,
    IGraphQLOperationHooks hooks,
    ILogger<GraphQLWebSocketEndpoint<TSchema>> logger)
    where TSchema : global::GraphQL.Types.ISchema
{
    public const string SubProtocol = GraphQLWebSocketProtocol.SubProtocol;

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // Cross-site WebSocket hijacking: a page of another site could open a socket with the visitor's cookies or
        // stored token. Browsers always send Origin; other clients need not (docs/security.md#websocket).
        if (!origins.Allows(http.Request))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            using var refused = await http.WebSockets.AcceptWebSocketAsync();
            await RefuseAsync(refused, http.RequestAborted);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var dependencies = new GraphQLWebSocketDependencies(executer, serializer, reader, authenticator, scopes, limits.Value, options.Value,
            errors, hooks, logger);
        hooks.WebSocketOpened();
        try
        {
            await new GraphQLWebSocketConnection(socket, http, dependencies).RunAsync(http.RequestAborted);
        }
        finally
        {
            hooks.WebSocketClosed();
        }
    }

    private static async Task RefuseAsync(WebSocket socket, CancellationToken aborted)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        grace.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)CloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable",
                grace.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client did not answer the close handshake: it is closed either way.
        }
    }
}

/// <summary>The protocol's name, as offered in `Sec-WebSocket-Protocol`.</summary>
public static class GraphQLWebSocketProtocol
{
    public const string SubProtocol = "graphql-transport-ws";
}

/// <summary>What every connection of one endpoint shares.</summary>
internal sealed record GraphQLWebSocketDependencies(
    IDocumentExecuter Executer,
    IGraphQLTextSerializer Serializer,
    GraphQLRequestReader Reader,
    IGraphQLConnectionAuthenticator Authenticator,
    IServiceScopeFactory Scopes,
    GraphQLOptions Limits,
    GraphQLWebSocketOptions Options,
    ITransportErrorFactory Errors,
    IGraphQLOperationHooks Hooks,
    ILogger Logger);
