using EventStore.Domain.Chat;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Chat;

/// <summary>
/// A member's read marker in a room. A room's unread count for a member is the number of messages by others, not
/// deleted, after this marker (ChatReads counts them on the indexed room_id/posted_at columns of ChatMessageView).
/// </summary>
public sealed class RoomReadMarkerView
{
    public Guid Id { get; set; }
    public Guid RoomId { get; set; }
    public Guid UserId { get; set; }
    public Guid UpToMessageId { get; set; }
    public DateTimeOffset UpToPostedAt { get; set; }
    public DateTimeOffset ReadAt { get; set; }
}

public sealed class RoomReadMarkerViewProjection : SingleStreamProjection<RoomReadMarkerView, Guid>
{
    public static RoomReadMarkerView Create(RoomMessagesRead e)
    {
        var view = new RoomReadMarkerView();
        Apply(e, view);
        return view;
    }

    public static void Apply(RoomMessagesRead e, RoomReadMarkerView view)
    {
        view.RoomId = e.RoomId;
        view.UserId = e.UserId;
        view.UpToMessageId = e.UpToMessageId;
        view.UpToPostedAt = e.UpToPostedAt;
        view.ReadAt = e.ReadAt;
    }
}
