using EventStore.Domain.Privacy;
using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Chat;

public static class ChatProjections
{
    public static StoreOptions ConfigureChatProjections(this StoreOptions options, PersonalDataProtector protector)
    {
        options.Projections.Add(new ChatRoomViewProjection(protector), ProjectionLifecycle.Async);
        options.Projections.Add(new ChatMessageViewProjection(protector), ProjectionLifecycle.Async);
        options.Projections.Add<ChatErasureProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<RoomReadMarkerViewProjection>(ProjectionLifecycle.Async);
        options.Schema.For<ChatRoomView>().Duplicate(x => x.Visibility).GinIndexJsonData();
        options.Schema.For<ChatMessageView>().Duplicate(x => x.RoomId).Duplicate(x => x.PostedAt).Duplicate(x => x.TextOwnerId);
        options.Schema.For<RoomReadMarkerView>().Duplicate(x => x.UserId);
        return options;
    }
}
