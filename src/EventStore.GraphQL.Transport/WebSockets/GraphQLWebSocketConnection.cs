using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;

namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>
/// One graphql-transport-ws socket: reads messages in order, holds the connection's state (init, ack, user) and its
/// running operations; everything it sends goes through one <see cref="SocketWriter"/>.
/// </summary>
internal sealed partial class GraphQLWebSocketConnection
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket socket;

    // Read from the upgrade request once, on its own thread: operations run concurrently, and an HttpContext is not
    // thread-safe (two operations reading its connection features at once have read a null).
    private readonly string connectionId;
    private readonly string clientAddress;
    private readonly ClaimsPrincipal handshakeUser;
    private readonly GraphQLWebSocketDependencies deps;
    private readonly SocketWriter writer;
    private readonly Dictionary<string, Operation> operations = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private int initReceived;
    private int operationsStarted; // numbers the operations for their correlation ids (under the gate)
    private volatile bool acknowledged;
    private ClaimsPrincipal user = new(new ClaimsIdentity());
    private readonly MessageRate messageRate;

    public GraphQLWebSocketConnection(WebSocket socket, HttpContext http, GraphQLWebSocketDependencies deps)
    {
        this.socket = socket;
        connectionId = http.TraceIdentifier;
        clientAddress = GraphQLUserContext.ClientAddressOf(http);
        handshakeUser = http.User;
        this.deps = deps;
        writer = new SocketWriter(socket, deps.Options.WebSocketSendQueueLength);
        messageRate = new MessageRate(deps.Options.WebSocketMessagesPerSecond);
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var writing = writer.RunAsync(lifetime.Token);
        var receiving = ReceiveAsync(lifetime.Token);
        var initWatch = WatchInitAsync(lifetime.Token);
        var stopping = Task.CompletedTask;
        try
        {
            if (await Task.WhenAny(receiving, writing, writer.CloseRequested) != receiving)
            {
                // We closed. Stop producing for this client at once: a client closed for reading too slowly (1013)
                // must not keep its subscriptions reading the feed. Its close frame goes out once the client has read
                // what is ahead of it in the socket; one that reads nothing is cut off after `GraphQL:WebSocketCloseTimeout`.
                stopping = StopAllAsync();
                await Task.WhenAny(writing, Task.Delay(deps.Options.WebSocketCloseTimeout, lifetime.Token));
                // Then give the client a moment to answer with its close frame, as the close handshake wants.
                await Task.WhenAny(receiving, Task.Delay(CloseGrace, lifetime.Token));
            }
            else
            {
                writer.Close((int)WebSocketCloseStatus.NormalClosure, "Normal Closure");
                await Task.WhenAny(writing, Task.Delay(CloseGrace, lifetime.Token));
            }
        }
        finally
        {
            UnwatchSession();
            await lifetime.CancelAsync();
            await receiving; // no operation starts after this
            await StopAllAsync();
            await Task.WhenAll(stopping, writing, initWatch);
        }
    }

    private async Task WatchInitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(deps.Options.WebSocketInitTimeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref initReceived) == 0)
        {
            writer.Close(CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        }
    }

    /// <summary>Reads whole messages until the client's close frame (also after we asked to close) or a dead socket.</summary>
    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var limit = deps.Limits.MaxRequestBytes;
        var chunk = new byte[8 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(chunk.AsMemory(), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (writer.IsClosing)
                {
                    continue;
                }

                if (message.Length + received.Count > limit)
                {
                    writer.Close(CloseCodes.MessageTooBig, "Message too big");
                    continue;
                }

                message.Write(chunk, 0, received.Count);
                if (received.EndOfMessage && !messageRate.TryTake())
                {
                    writer.Close(CloseCodes.PolicyViolation, "Too many messages");
                    message.SetLength(0);
                    continue;
                }

                if (received.EndOfMessage)
                {
                    var parsed = ProtocolMessage.Parse(message.GetBuffer().AsMemory(0, (int)message.Length), out var problem);
                    message.SetLength(0);
                    await HandleAsync(parsed, problem);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client vanished without a close frame, or we are shutting the connection down.
        }
    }

    private async Task HandleAsync(ProtocolMessage? message, string? problem)
    {
        try
        {
            if (message is not null && !await SessionStillCurrentAsync())
            {
                return;
            }

            switch (message)
            {
                case null:
                    writer.Close(CloseCodes.BadRequest, problem!);
                    break;
                case { Type: ProtocolMessage.ConnectionInit }:
                    await InitAsync(message.Payload);
                    break;
                case { Type: ProtocolMessage.Ping }:
                    writer.Send(ProtocolMessage.Write(ProtocolMessage.Pong, rawPayload: message.Payload?.GetRawText()));
                    break;
                case { Type: ProtocolMessage.Pong }:
                    break;
                case { Type: ProtocolMessage.Subscribe } when !acknowledged:
                    writer.Close(CloseCodes.Unauthorized, "Unauthorized");
                    break;
                case { Type: ProtocolMessage.Subscribe }:
                    Start(message.Id!, message.Payload!.Value);
                    break;
                case { Type: ProtocolMessage.Complete }:
                    Stop(message.Id!);
                    break;
            }
        }
        catch (HostUnavailableException e)
        {
            deps.Logger.LogWarning("GraphQL WebSocket {Connection}: {Reason} handling a {Type} message; closed with 1013",
                connectionId, e.Message, message?.Type);
            writer.Close(CloseCodes.TryAgainLater, "Try again later");
        }
        catch (Exception e)
        {
            var errorId = TransportErrorIds.New();
            deps.Logger.LogError(e, "GraphQL WebSocket {Connection}: failed handling a {Type} message, error {ErrorId}",
                connectionId, message?.Type, errorId);
            writer.Close(CloseCodes.InternalServerError, "Internal server error " + errorId);
        }
    }

    private async Task InitAsync(JsonElement? payload)
    {
        if (Interlocked.Exchange(ref initReceived, 1) == 1)
        {
            writer.Close(CloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
            return;
        }

        var authenticated = await deps.Authenticator.AuthenticateAsync(payload, handshakeUser);
        if (authenticated is null)
        {
            writer.Close(CloseCodes.Forbidden, "Forbidden");
            return;
        }

        user = authenticated;
        WatchSession();
        acknowledged = true;
        writer.Send(ProtocolMessage.Write(ProtocolMessage.ConnectionAck));
    }

    private void Start(string id, JsonElement payload)
    {
        // The same rules as an HTTP request's parameters; what HTTP answers with 400 closes the socket with 4400.
        if (deps.Reader.FromObject(payload, out var problem) is not { } request)
        {
            writer.Close(CloseCodes.BadRequest, "Invalid message received: " + problem);
            return;
        }

        Operation operation;
        lock (gate)
        {
            if (operations.ContainsKey(id))
            {
                writer.Close(CloseCodes.SubscriberAlreadyExists, $"Subscriber for {id} already exists");
                return;
            }

            if (operations.Count >= deps.Options.WebSocketMaxOperations)
            {
                writer.Send(ProtocolMessage.Write(ProtocolMessage.Error, id, ErrorsPayload(new ExecutionErrors
                {
                    deps.Errors.Create(TransportErrorCodes.RateLimited,
                        $"At most {deps.Options.WebSocketMaxOperations} operations may run at once on one connection."),
                })));
                return;
            }

            operation = new Operation(id, ++operationsStarted);
            operations[id] = operation;
        }

        operation.Running = RunAsync(operation, request);
    }

    private void Stop(string id)
    {
        Operation? operation;
        lock (gate)
        {
            operations.Remove(id, out operation);
        }

        operation?.Cancel();
    }

    private async Task StopAllAsync()
    {
        List<Operation> running;
        lock (gate)
        {
            running = [.. operations.Values];
            operations.Clear();
        }

        foreach (var operation in running)
        {
            operation.Cancel();
        }

        await Task.WhenAll(running.Select(x => x.Running));
    }
}
