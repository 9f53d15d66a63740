using EventStore.Domain.Chat;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Chat;

/// <summary>A room with its members: what `rooms` and `room(id)` read.</summary>
public sealed class ChatRoomView
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public RoomVisibility Visibility { get; set; }

    /// <summary>Empty for direct rooms, which have no owner.</summary>
    public Guid OwnerId { get; set; }

    public List<RoomMemberEntry> Members { get; set; } = [];

    /// <summary>The member ids alone: the column `rooms` filters on (GIN index).</summary>
    public List<Guid> MemberIds { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}

/// <param name="InvitedBy">Who added the member; null when they joined themselves, created the room, or it is direct.</param>
public sealed record RoomMemberEntry(Guid UserId, DateTimeOffset JoinedAt, Guid? InvitedBy);

public sealed class ChatRoomViewProjection : SingleStreamProjection<ChatRoomView, Guid>
{
    public static ChatRoomView Create(RoomCreated e) => new()
    {
        Id = e.RoomId, Name = e.Name, Visibility = e.Visibility, OwnerId = e.OwnerId, CreatedAt = e.CreatedAt, UpdatedAt = e.CreatedAt,
    };

    public static ChatRoomView Create(DirectRoomOpened e) => Add(Add(new ChatRoomView
    {
        Id = e.RoomId, Name = "", Visibility = RoomVisibility.Direct, CreatedAt = e.OpenedAt, UpdatedAt = e.OpenedAt,
    }, e.FirstUserId, e.OpenedAt, null), e.SecondUserId, e.OpenedAt, null);

    public static void Apply(RoomMemberJoined e, ChatRoomView view) => Add(view, e.UserId, e.JoinedAt, null);

    public static void Apply(RoomMemberInvited e, ChatRoomView view) => Add(view, e.UserId, e.InvitedAt, e.InvitedBy);

    public static void Apply(RoomMemberLeft e, ChatRoomView view) => Remove(view, e.UserId, e.LeftAt);

    public static void Apply(RoomMemberRemoved e, ChatRoomView view) => Remove(view, e.UserId, e.RemovedAt);

    private static ChatRoomView Add(ChatRoomView view, Guid userId, DateTimeOffset at, Guid? invitedBy)
    {
        if (!view.MemberIds.Contains(userId))
        {
            view.Members.Add(new RoomMemberEntry(userId, at, invitedBy));
            view.MemberIds.Add(userId);
        }

        view.UpdatedAt = at;
        return view;
    }

    private static void Remove(ChatRoomView view, Guid userId, DateTimeOffset at)
    {
        view.Members.RemoveAll(m => m.UserId == userId);
        view.MemberIds.Remove(userId);
        view.UpdatedAt = at;
    }
}
