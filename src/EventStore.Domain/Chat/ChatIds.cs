using EventStore.Domain.Trading;

namespace EventStore.Domain.Chat;

/// <summary>Stream ids derived from natural keys, so that one pair of users has one direct room by construction.</summary>
public static class ChatIds
{
    /// <summary>The assistant's user id: the author of its replies in rooms (it is not a registered user).</summary>
    public static readonly Guid AssistantUserId = new("00000000-0000-7000-8000-0000000a5515");

    public const string AssistantName = "assistant";

    /// <summary>The same room whichever of the two opens it.</summary>
    public static Guid DirectRoom(Guid a, Guid b)
    {
        var (low, high) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
        return TradingIds.NameBased("direct-room:" + low.ToString("N") + ":" + high.ToString("N"));
    }

    /// <summary>The assistant's interaction that answers a mention in message <paramref name="messageId"/>: one per message, so a redelivery is recognised.</summary>
    public static Guid AssistantInteractionFor(Guid messageId) => TradingIds.NameBased("assistant-interaction:" + messageId.ToString("N"));

    public static Guid ReadMarker(Guid roomId, Guid userId) =>
        TradingIds.NameBased("read-marker:" + roomId.ToString("N") + ":" + userId.ToString("N"));
}
