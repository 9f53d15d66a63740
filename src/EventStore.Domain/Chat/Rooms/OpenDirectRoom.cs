using FluentValidation;
using Marten;

namespace EventStore.Domain.Chat.Rooms;

/// <summary>Opens (or finds) the direct room of two users. Its id comes from the pair, so there is only ever one.</summary>
public sealed record OpenDirectRoom(Guid UserId, Guid OtherUserId)
{
    public sealed class Validator : AbstractValidator<OpenDirectRoom>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.OtherUserId).NotEmpty().NotEqual(x => x.UserId).WithMessage("A direct room needs another user.")
                .NotEqual(ChatIds.AssistantUserId).WithMessage("Ask the assistant with askAssistant, or mention @assistant in a room.");
        }
    }
}

public sealed record DirectRoom(Guid RoomId);

public static class OpenDirectRoomHandler
{
    public static async Task<DirectRoom> Handle(OpenDirectRoom command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        await ChatRules.MustBeRegisteredAsync(session, command.OtherUserId, ct);
        var id = ChatIds.DirectRoom(command.UserId, command.OtherUserId);
        var stream = await session.Events.FetchForWriting<Room>(id, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, id, clock.GetUtcNow()));
        return new DirectRoom(id);
    }

    /// <summary>Nothing when the room exists already: opening it again is idempotent.</summary>
    public static IEnumerable<object> Decide(Room? existing, OpenDirectRoom command, Guid roomId, DateTimeOffset now)
    {
        if (existing is null || existing.Id == Guid.Empty)
        {
            yield return new DirectRoomOpened(roomId, command.UserId, command.OtherUserId, now);
        }
    }
}
