using FluentValidation;
using Marten;

namespace EventStore.Domain.Chat.Membership;

/// <summary>A member adds another user to a public or private room; the invitee is a member at once.</summary>
public sealed record InviteToRoom(Guid RoomId, Guid UserId, Guid InvitedBy)
{
    public sealed class Validator : AbstractValidator<InviteToRoom>
    {
        public Validator()
        {
            RuleFor(x => x.RoomId).NotEmpty();
            RuleFor(x => x.InvitedBy).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty().NotEqual(ChatIds.AssistantUserId)
                .WithMessage("The assistant needs no invitation: mention @assistant.");
        }
    }
}

public static class InviteToRoomHandler
{
    public static async Task Handle(InviteToRoom command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Room>(command.RoomId, ct);
        RoomGuards.MustBeMember(stream.Aggregate, command.InvitedBy);
        await ChatRules.MustBeRegisteredAsync(session, command.UserId, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, clock.GetUtcNow()));
    }

    public static IEnumerable<object> Decide(Room room, InviteToRoom command, DateTimeOffset now)
    {
        RoomGuards.MustBeMember(room, command.InvitedBy);
        if (room.Visibility == RoomVisibility.Direct)
        {
            throw new ConflictException("A direct room has exactly two members; create a private room instead.");
        }

        if (!room.IsMember(command.UserId))
        {
            yield return new RoomMemberInvited(room.Id, command.UserId, command.InvitedBy, now);
        }
    }
}
