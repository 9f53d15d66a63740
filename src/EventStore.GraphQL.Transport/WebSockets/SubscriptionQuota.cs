using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>
/// Live subscriptions per user on this node, across all of the user's connections (`GraphQL:WebSocketMaxSubscriptionsPerUser`):
/// opening many sockets does not get round the per-connection limit.
/// </summary>
public sealed class SubscriptionQuota(IOptions<GraphQLWebSocketOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _active = new(StringComparer.Ordinal);

    public bool TryAcquire(string user)
    {
        var limit = options.Value.WebSocketMaxSubscriptionsPerUser;
        while (true)
        {
            var current = _active.GetOrAdd(user, 0);
            if (current >= limit)
            {
                return false;
            }

            if (_active.TryUpdate(user, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Release(string user) => _active.AddOrUpdate(user, 0, (_, count) => Math.Max(0, count - 1));
}
