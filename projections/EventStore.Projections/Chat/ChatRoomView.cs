using EventStore.Domain.Chat;
using EventStore.Domain.Privacy;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Chat;

/// <summary>A room with its members: what `rooms` and `room(id)` read.</summary>
public sealed class ChatRoomView
{
    public Guid Id { get; set; }
    /// <summary>Opened with the creator's key: empty for direct rooms, null once the creator is erased.</summary>
    public string? Name { get; set; } = "";
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

/// <summary>
/// Async projection, a pure function of the room's events and of its creator's key: the name is opened at projection
/// time, so once the creator is erased a rebuild gives the same rows as <see cref="ChatErasureProjection"/> leaves behind.
/// </summary>
public sealed class ChatRoomViewProjection : SingleStreamProjection<ChatRoomView, Guid>
{
    private readonly PersonalDataProtector _protector;

    /// <summary>Filtered on the module's event types: the shards never load other modules' events (docs/performance.md).</summary>
    public ChatRoomViewProjection(PersonalDataProtector protector)
    {
        _protector = protector;
        IncludedEventTypes.AddRange(ChatModule.EventTypes);
    }

    public override async ValueTask<ChatRoomView?> EvolveAsync(ChatRoomView? snapshot, Guid id, IQuerySession session, IEvent e,
        CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case RoomCreated created:
                return Start(created, await _protector.OpenerAsync(session, [created.OwnerId, created.Name.Subject], cancellation));
            case DirectRoomOpened opened:
                return Start(opened);
            case RoomMemberJoined joined when snapshot is not null:
                return Add(snapshot, joined.UserId, joined.JoinedAt, null);
            case RoomMemberInvited invited when snapshot is not null:
                return Add(snapshot, invited.UserId, invited.InvitedAt, invited.InvitedBy);
            case RoomMemberLeft left when snapshot is not null:
                return Remove(snapshot, left.UserId, left.LeftAt);
            case RoomMemberRemoved removed when snapshot is not null:
                return Remove(snapshot, removed.UserId, removed.RemovedAt);
            default:
                return snapshot;
        }
    }

    public static ChatRoomView Start(RoomCreated e, PersonalDataOpener personal) => new()
    {
        Id = e.RoomId, Name = personal.Open(e.Name, e.OwnerId), Visibility = e.Visibility, OwnerId = e.OwnerId,
        CreatedAt = e.CreatedAt, UpdatedAt = e.CreatedAt,
    };

    public static ChatRoomView Start(DirectRoomOpened e) => Add(Add(new ChatRoomView
    {
        Id = e.RoomId, Name = "", Visibility = RoomVisibility.Direct, CreatedAt = e.OpenedAt, UpdatedAt = e.OpenedAt,
    }, e.FirstUserId, e.OpenedAt, null), e.SecondUserId, e.OpenedAt, null);

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

    private static ChatRoomView Remove(ChatRoomView view, Guid userId, DateTimeOffset at)
    {
        view.Members.RemoveAll(m => m.UserId == userId);
        view.MemberIds.Remove(userId);
        view.UpdatedAt = at;
        return view;
    }
}
