namespace EventStore.Api.LiveFeed;

/// <summary>
/// How fast the consumer of one operation's subscription takes items (a scoped service: one per operation). A replay
/// is pulled from the store as fast as the database answers, so it waits here for room instead of overflowing the
/// transport's buffer: over WebSocket that buffer is the connection's outbound queue, whose overflow closes the socket
/// with 1013, which must only happen to a client that does not read, never to one catching up on a long replay. Live
/// events are never paced: they come from the feed, which waits for no one.
/// </summary>
public sealed class DeliveryPace
{
    /// <summary>Set by the transport; without it (an in-process consumer) nothing waits.</summary>
    public Func<CancellationToken, ValueTask>? WaitForRoom { get; set; }

    public ValueTask WaitAsync(CancellationToken ct) => WaitForRoom?.Invoke(ct) ?? ValueTask.CompletedTask;
}
