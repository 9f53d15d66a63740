using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Chat.Membership;

/// <summary>Anyone may join a public room; private and direct rooms are by invitation only (and invisible otherwise).</summary>
public sealed record JoinRoom(Guid RoomId, Guid UserId)
{
    public sealed class Validator : AbstractValidator<JoinRoom>
    {
        public Validator()
        {
            RuleFor(x => x.RoomId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
        }
    }
}

public static class JoinRoomHandler
{
    public static void Before(JoinRoom command, Room? room)
    {
        RoomGuards.MustExist(room);
        if (room.Visibility != RoomVisibility.Public && !room.IsMember(command.UserId))
        {
            throw new NotFoundException("Room not found.");
        }
    }

    [AggregateHandler]
    public static IEnumerable<object> Handle(JoinRoom command, Room room, TimeProvider clock)
    {
        if (!room.IsMember(command.UserId))
        {
            yield return new RoomMemberJoined(room.Id, command.UserId, clock.GetUtcNow());
        }
    }
}
