using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Chat.Membership;

/// <summary>Moderation: the room's owner or an admin (<paramref name="ActorIsAdmin"/>, from the token) removes a member.</summary>
public sealed record RemoveFromRoom(Guid RoomId, Guid UserId, Guid ActorId, bool ActorIsAdmin)
{
    public sealed class Validator : AbstractValidator<RemoveFromRoom>
    {
        public Validator()
        {
            RuleFor(x => x.RoomId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.ActorId).NotEmpty();
        }
    }
}

public static class RemoveFromRoomHandler
{
    public static void Before(RemoveFromRoom command, Room? room)
    {
        RoomGuards.MustExist(room);
        if (!room.CanModerate(command.ActorId, command.ActorIsAdmin))
        {
            RoomGuards.MustBeMember(room, command.ActorId); // a stranger to a private room learns nothing
            throw new ForbiddenException("Only the room's owner and admins can remove members.");
        }

        if (room.Visibility == RoomVisibility.Direct)
        {
            throw new ConflictException("Nobody can be removed from a direct room.");
        }
    }

    [AggregateHandler]
    public static IEnumerable<object> Handle(RemoveFromRoom command, Room room, TimeProvider clock)
    {
        if (room.IsMember(command.UserId))
        {
            yield return new RoomMemberRemoved(room.Id, command.UserId, command.ActorId, clock.GetUtcNow());
        }
    }
}
