using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>
/// A graphql-transport-ws client over ASP.NET Core's WebSocket stack: the test server's in-memory transport (the same
/// ManagedWebSocket framing a network client uses), or a real TCP connection to Kestrel (<see cref="KestrelAppFixture"/>).
/// </summary>
public sealed class GraphQLWebSocketClient : IAsyncDisposable
{
    public const string SubProtocol = "graphql-transport-ws";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly IDisposable? _transport;

    private GraphQLWebSocketClient(WebSocket socket, IDisposable? transport = null)
    {
        Socket = socket;
        _transport = transport;
    }

    public WebSocket Socket { get; }

    public static async Task<GraphQLWebSocketClient> ConnectAsync(IAlbaHost host, string? subProtocol = SubProtocol)
    {
        var client = host.Server.CreateWebSocketClient();
        if (subProtocol is not null)
        {
            client.SubProtocols.Add(subProtocol);
        }

        using var timeout = new CancellationTokenSource(Timeout);
        return new GraphQLWebSocketClient(await client.ConnectAsync(new Uri(host.Server.BaseAddress, "graphql"), timeout.Token));
    }

    /// <summary>
    /// Connects over TCP and completes `connection_init` / `connection_ack`. <paramref name="receiveBufferBytes"/> sets
    /// the client socket's kernel receive buffer before it connects (fixed, so Linux does not grow it): a client that
    /// stops reading then backs up into the server after a few KiB.
    /// </summary>
    public static async Task<GraphQLWebSocketClient> ConnectAndInitAsync(Uri uri, object? payload, int? receiveBufferBytes = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBufferBytes is { } size)
                {
                    tcp.ReceiveBufferSize = size;
                }

                try
                {
                    await tcp.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(SubProtocol);
        using (var timeout = new CancellationTokenSource(Timeout))
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }

        var client = new GraphQLWebSocketClient(socket, invoker);
        await client.SendAsync(new { type = "connection_init", payload });
        Assert.Equal("connection_ack", (await client.ReceiveAsync()).Str("type"));
        return client;
    }

    /// <summary>Connects and completes `connection_init` / `connection_ack`.</summary>
    public static async Task<GraphQLWebSocketClient> ConnectAndInitAsync(IAlbaHost host, object? payload = null)
    {
        var client = await ConnectAsync(host);
        await client.SendAsync(new { type = "connection_init", payload });
        Assert.Equal("connection_ack", (await client.ReceiveAsync()).Str("type"));
        return client;
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message; fails if the server closes instead.</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        var (text, closed) = await ReceiveTextAsync();
        Assert.True(text is not null, $"Expected a message but the socket closed: {closed}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Reads until the server's close frame; fails on any message before it.</summary>
    public async Task<(int Code, string? Reason)> ExpectCloseAsync()
    {
        var (text, _) = await ReceiveTextAsync();
        Assert.True(text is null, $"Expected the socket to close but received: {text}");
        return ((int)Socket.CloseStatus!.Value, Socket.CloseStatusDescription);
    }

    /// <summary>The next message, or the close code and reason if the server closed instead.</summary>
    public async Task<(string? Text, int? CloseCode, string? Reason)> ReceiveOrCloseAsync()
    {
        var (text, _) = await ReceiveTextAsync();
        return text is not null ? (text, null, null) : (null, (int?)Socket.CloseStatus, Socket.CloseStatusDescription);
    }

    /// <summary>Reads every message until the server's close frame: what arrived before it, and the close code.</summary>
    public async Task<(IReadOnlyList<JsonObject> Messages, int Code, string? Reason)> ReceiveUntilCloseAsync()
    {
        var messages = new List<JsonObject>();
        while (await ReceiveTextAsync() is (string text, _))
        {
            messages.Add(JsonNode.Parse(text)!.AsObject());
        }

        return (messages, (int)Socket.CloseStatus!.Value, Socket.CloseStatusDescription);
    }

    private async Task<(string? Text, string? Closed)> ReceiveTextAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        while (true)
        {
            var received = await Socket.ReceiveAsync(chunk, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close handshake, as a well-behaved client does (unless the server has already hung up).
                try
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                catch (WebSocketException)
                {
                }

                return (null, $"{(int?)Socket.CloseStatus} {Socket.CloseStatusDescription}");
            }

            buffer.Write(chunk, 0, received.Count);
            if (received.EndOfMessage)
            {
                return (Encoding.UTF8.GetString(buffer.ToArray()), null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        Socket.Dispose();
        _transport?.Dispose();
    }
}
