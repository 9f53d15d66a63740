using System.Diagnostics;

namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>
/// The incoming message rate of one connection (`GraphQL:WebSocketMessagesPerSecond`): a token bucket holding two
/// seconds' worth, refilled by the elapsed time when a message arrives (no timer per connection). Used by the receive
/// loop only, so it needs no lock.
/// </summary>
internal sealed class MessageRate(int perSecond)
{
    private readonly double _capacity = perSecond * 2.0;
    private double _tokens = perSecond * 2.0;
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
