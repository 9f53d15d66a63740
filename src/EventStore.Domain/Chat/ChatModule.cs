using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Chat;

public static class ChatModule
{
    /// <summary>
    /// Every event type of the module. Async projections over the module's streams filter on this list, so their
    /// shards never load, deserialize or slice another module's events, while every event of their own streams
    /// still reaches them (a view's version stays the stream's version).
    /// </summary>
    public static readonly Type[] EventTypes =
    [
        typeof(RoomCreated), typeof(DirectRoomOpened), typeof(RoomMemberJoined), typeof(RoomMemberInvited),
        typeof(RoomMemberLeft), typeof(RoomMemberRemoved),
        typeof(MessagePosted), typeof(MessageEdited), typeof(MessageDeleted), typeof(RoomMessagesRead),
    ];

    public static StoreOptions ConfigureChat(this StoreOptions options)
    {
        options.Events.AddEventTypes(EventTypes);
        return options;
    }
}
