using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Chat;

public static class ChatModule
{
    public static StoreOptions ConfigureChat(this StoreOptions options)
    {
        options.Events.AddEventTypes([
            typeof(RoomCreated), typeof(DirectRoomOpened), typeof(RoomMemberJoined), typeof(RoomMemberInvited),
            typeof(RoomMemberLeft), typeof(RoomMemberRemoved),
            typeof(MessagePosted), typeof(MessageEdited), typeof(MessageDeleted), typeof(RoomMessagesRead),
        ]);
        return options;
    }
}
