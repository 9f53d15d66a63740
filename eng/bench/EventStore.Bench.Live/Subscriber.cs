using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace EventStore.Bench.Live;

/// <summary>
/// One graphql-transport-ws connection with one `events` subscription. It records, for every `next`, the event's
/// sequence, its store timestamp and the moment the message was read off the socket.
/// </summary>
public sealed class Subscriber : IAsyncDisposable
{
    public const string Subscription =
        "subscription { events(filter: { eventTypes: [\"cash_deposited\"] }) { sequence timestamp } }";

    private readonly ClientWebSocket _socket = new();
    private readonly List<Delivery> _deliveries = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private volatile bool _closing;

    public string? Failure { get; private set; }

    public int Count
    {
        get
        {
            lock (_deliveries)
            {
                return _deliveries.Count;
            }
        }
    }

    public IReadOnlyList<Delivery> Deliveries
    {
        get
        {
            lock (_deliveries)
            {
                return [.. _deliveries];
            }
        }
    }

    public static async Task<Subscriber> StartAsync(Uri uri, string token, CancellationToken ct)
    {
        var subscriber = new Subscriber();
        subscriber._socket.Options.AddSubProtocol("graphql-transport-ws");
        await subscriber._socket.ConnectAsync(uri, ct);
        await subscriber.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer " + token } }, ct);
        var ack = await subscriber.ReceiveAsync(ct);
        if (ack?.RootElement.GetProperty("type").GetString() != "connection_ack")
        {
            throw new InvalidOperationException("No connection_ack");
        }

        await subscriber.SendAsync(new { id = "1", type = "subscribe", payload = new { query = Subscription } }, ct);
        subscriber._reading = subscriber.ReadAsync();
        return subscriber;
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await ReceiveAsync(_stop.Token) is { } message)
            {
                using (message)
                {
                    var at = DateTimeOffset.UtcNow;
                    var root = message.RootElement;
                    if (root.GetProperty("type").GetString() != "next")
                    {
                        Failure = root.GetRawText();
                        return;
                    }

                    var item = root.GetProperty("payload").GetProperty("data").GetProperty("events");
                    var delivery = new Delivery(item.GetProperty("sequence").GetInt64(),
                        DateTimeOffset.Parse(item.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture), at);
                    lock (_deliveries)
                    {
                        _deliveries.Add(delivery);
                    }
                }
            }

            if (!_closing)
            {
                Failure ??= $"closed: {(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}";
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException && _closing)
        {
        }
        catch (Exception e) when (e is WebSocketException or JsonException)
        {
            Failure = e.Message;
        }
    }

    private Task SendAsync(object message, CancellationToken ct) =>
        _socket.SendAsync(new ReadOnlyMemory<byte>(JsonSerializer.SerializeToUtf8Bytes(message)), WebSocketMessageType.Text, true, ct).AsTask();

    private async Task<JsonDocument?> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(5)));
        await _stop.CancelAsync();
        await _reading;
        _socket.Dispose();
        _stop.Dispose();
    }
}

/// <summary>One `next`: the event's global sequence, its store timestamp, and when the subscriber read it.</summary>
public sealed record Delivery(long Sequence, DateTimeOffset StoredAt, DateTimeOffset ReceivedAt);
