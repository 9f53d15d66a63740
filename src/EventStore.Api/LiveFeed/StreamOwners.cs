using System.Text.Json;

namespace EventStore.Api.LiveFeed;

/// <summary>
/// One subscriber's memory of whose streams are whose, so that other users' order and position events cost it no
/// database read. An event that names its owner (`userId` in its data: OrderPlaced, OrderRejected, OrderFilled,
/// PositionOpened) settles its stream; a stream first seen through an event that does not (a resume in the middle of
/// an order's life) is looked up once and remembered. Owners never change, so nothing learnt goes stale; the memory is
/// bounded and starts over when full.
/// </summary>
public sealed class StreamOwners(Guid me, int capacity = 50_000)
{
    private readonly Dictionary<Guid, bool> _mine = [];

    /// <param name="ownerFromStore">Reads the stream's owner (null when unknown), for a stream not seen before.</param>
    public async ValueTask<bool> IsMineAsync(StoredEvent e, Func<CancellationToken, Task<Guid?>> ownerFromStore, CancellationToken ct)
    {
        if (!_mine.TryGetValue(e.StreamId, out var mine))
        {
            mine = (OwnerNamedIn(e.Data) ?? await ownerFromStore(ct)) == me;
            if (_mine.Count >= capacity)
            {
                _mine.Clear();
            }

            _mine[e.StreamId] = mine;
        }

        return mine;
    }

    /// <summary>The `userId` an event's JSON names at its top level, if any.</summary>
    public static Guid? OwnerNamedIn(string data)
    {
        using var json = JsonDocument.Parse(data);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.NameEquals("userId") || property.NameEquals("UserId"))
            {
                return property.Value.TryGetGuid(out var id) ? id : null;
            }
        }

        return null;
    }
}
