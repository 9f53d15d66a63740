using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventStore.GraphQL.Transport.Tests;

/// <summary>A graphql-transport-ws client on a real socket: sends JSON messages, waits for the next message or the close.</summary>
public sealed class SocketClient : IAsyncDisposable
{
    /// <summary>How long a test waits for a message it expects; never an assertion on time.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;

    private SocketClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    public static async Task<SocketClient> ConnectAsync(Uri uri, string? subProtocol = "graphql-transport-ws", string? origin = null)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(Wait);
        await socket.ConnectAsync(uri, timeout.Token);
        return new SocketClient(socket);
    }

    /// <summary>Connects and completes the handshake (`connection_init`, then `connection_ack`).</summary>
    public static async Task<SocketClient> ConnectAndInitAsync(Uri uri)
    {
        var client = await ConnectAsync(uri);
        await client.SendAsync(new { type = "connection_init" });
        var ack = await client.ReceiveAsync();
        Assert.Equal("connection_ack", ack?["type"]?.GetValue<string>());
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Wait);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    public Task SubscribeAsync(string id, string query) => SendAsync(new { id, type = "subscribe", payload = new { query } });

    /// <summary>The next message; null when the server closed the socket instead (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonNode?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray());
            }
        }
    }

    /// <summary>Reads until the server's close frame; the close code.</summary>
    public async Task<int?> ReceiveCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return (int?)_socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server is gone already.
            }
        }

        _socket.Dispose();
    }
}
