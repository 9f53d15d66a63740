using System.Diagnostics.CodeAnalysis;

namespace EventStore.Domain.Chat;

/// <summary>Slim write model of a room: who may read, post and moderate. Rebuilt from the room's stream.</summary>
public sealed class Room
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public RoomVisibility Visibility { get; set; }
    public Guid OwnerId { get; set; }
    public HashSet<Guid> Members { get; set; } = [];

    public bool IsMember(Guid userId) => Members.Contains(userId);

    /// <summary>The owner and admins moderate; a direct room has no owner, so only admins.</summary>
    public bool CanModerate(Guid actorId, bool actorIsAdmin) => actorIsAdmin || (OwnerId != Guid.Empty && actorId == OwnerId);

    public void Apply(RoomCreated e)
    {
        Id = e.RoomId;
        Visibility = e.Visibility;
        OwnerId = e.OwnerId;
    }

    public void Apply(DirectRoomOpened e)
    {
        Id = e.RoomId;
        Visibility = RoomVisibility.Direct;
        Members.Add(e.FirstUserId);
        Members.Add(e.SecondUserId);
    }

    public void Apply(RoomMemberJoined e) => Members.Add(e.UserId);

    public void Apply(RoomMemberInvited e) => Members.Add(e.UserId);

    public void Apply(RoomMemberLeft e) => Members.Remove(e.UserId);

    public void Apply(RoomMemberRemoved e) => Members.Remove(e.UserId);
}

/// <summary>State rules shared by the Chat deciders. A room a user may not see is reported as not found.</summary>
public static class RoomGuards
{
    public static void MustExist([NotNull] Room? room)
    {
        if (room is null || room.Id == Guid.Empty)
        {
            throw new NotFoundException("Room not found.");
        }
    }

    /// <summary>Members read and post; in a private or direct room nobody else learns that it exists.</summary>
    public static void MustBeMember([NotNull] Room? room, Guid userId)
    {
        MustExist(room);
        if (room.IsMember(userId))
        {
            return;
        }

        if (room.Visibility == RoomVisibility.Public)
        {
            throw new ForbiddenException("Join the room first.");
        }

        throw new NotFoundException("Room not found.");
    }
}
