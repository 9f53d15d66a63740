using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Chat;

public static class ChatProjections
{
    public static StoreOptions ConfigureChatProjections(this StoreOptions options)
    {
        options.Projections.Add<ChatRoomViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<ChatMessageViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<RoomReadMarkerViewProjection>(ProjectionLifecycle.Async);
        options.Schema.For<ChatRoomView>().Duplicate(x => x.Visibility).GinIndexJsonData();
        options.Schema.For<ChatMessageView>().Duplicate(x => x.RoomId).Duplicate(x => x.PostedAt);
        options.Schema.For<RoomReadMarkerView>().Duplicate(x => x.UserId);
        return options;
    }
}
