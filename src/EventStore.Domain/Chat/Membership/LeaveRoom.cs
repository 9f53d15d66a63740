using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Chat.Membership;

public sealed record LeaveRoom(Guid RoomId, Guid UserId)
{
    public sealed class Validator : AbstractValidator<LeaveRoom>
    {
        public Validator()
        {
            RuleFor(x => x.RoomId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
        }
    }
}

public static class LeaveRoomHandler
{
    public static void Before(LeaveRoom command, Room? room)
    {
        RoomGuards.MustExist(room);
        if (room.Visibility != RoomVisibility.Public && !room.IsMember(command.UserId))
        {
            throw new NotFoundException("Room not found.");
        }

        if (room.Visibility == RoomVisibility.Direct)
        {
            throw new ConflictException("A direct room cannot be left.");
        }
    }

    /// <summary>Leaving a public room one is not in changes nothing.</summary>
    [AggregateHandler]
    public static IEnumerable<object> Handle(LeaveRoom command, Room room, TimeProvider clock)
    {
        if (room.IsMember(command.UserId))
        {
            yield return new RoomMemberLeft(room.Id, command.UserId, clock.GetUtcNow());
        }
    }
}
