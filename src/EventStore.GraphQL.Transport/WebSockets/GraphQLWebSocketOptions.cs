using System.ComponentModel.DataAnnotations;

namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>
/// The WebSocket limits, in the same `GraphQL` section as <see cref="GraphQLOptions"/> (whose `MaxRequestBytes` also
/// caps one incoming WebSocket message).
/// </summary>
public sealed class GraphQLWebSocketOptions
{
    /// <summary>How long a new socket may wait before sending `connection_init` (then close 4408).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan WebSocketInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Operations running at once on one connection; one more gets an `error` message (RATE_LIMITED).</summary>
    [Range(1, 10_000)]
    public int WebSocketMaxOperations { get; set; } = 100;

    /// <summary>Live subscriptions of one user on this node, over all connections; one more gets an `error` (RATE_LIMITED).</summary>
    [Range(1, 100_000)]
    public int WebSocketMaxSubscriptionsPerUser { get; set; } = 200;

    /// <summary>
    /// Messages a client may send per second on one connection (a token bucket holding two seconds' worth, so short bursts
    /// pass); beyond it the connection is closed with 1008. Pings count too.
    /// </summary>
    [Range(1, 100_000)]
    public int WebSocketMessagesPerSecond { get; set; } = 50;

    /// <summary>Outbound messages waiting for a slow client; when the queue is full the socket is closed with 1013.</summary>
    [Range(16, 1_000_000)]
    public int WebSocketSendQueueLength { get; set; } = 1024;

    /// <summary>
    /// How long our close frame may wait behind data the client has not read yet (for example after 1013); a client that
    /// reads nothing for this long is disconnected without the close handshake.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan WebSocketCloseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
