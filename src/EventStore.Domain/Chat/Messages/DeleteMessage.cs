using FluentValidation;
using Marten;

namespace EventStore.Domain.Chat.Messages;

/// <summary>
/// The author, the room's owner or an admin (<paramref name="ActorIsAdmin"/>, from the token) deletes a message: a
/// redaction event, after which read models no longer show the text.
/// </summary>
public sealed record DeleteMessage(Guid MessageId, Guid ActorId, bool ActorIsAdmin)
{
    public sealed class Validator : AbstractValidator<DeleteMessage>
    {
        public Validator()
        {
            RuleFor(x => x.MessageId).NotEmpty();
            RuleFor(x => x.ActorId).NotEmpty();
        }
    }
}

public static class DeleteMessageHandler
{
    public static async Task Handle(DeleteMessage command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Message>(command.MessageId, ct);
        var room = stream.Aggregate is { Id: var id } && id != Guid.Empty
            ? await session.Events.FetchLatest<Room>(stream.Aggregate.RoomId, ct)
            : null;
        stream.AppendMany(Decide(stream.Aggregate, room, command, clock.GetUtcNow()));
    }

    public static IEnumerable<object> Decide(Message? message, Room? room, DeleteMessage command, DateTimeOffset now)
    {
        if (message is null || message.Id == Guid.Empty)
        {
            throw new NotFoundException("Message not found.");
        }

        RoomGuards.MustExist(room);
        var moderator = room.CanModerate(command.ActorId, command.ActorIsAdmin);
        if (!moderator)
        {
            RoomGuards.MustBeMember(room, command.ActorId);
            if (message.AuthorId != command.ActorId)
            {
                throw new ForbiddenException("Only the author, the room's owner and admins can delete a message.");
            }
        }

        if (!message.Deleted)
        {
            yield return new MessageDeleted(message.Id, message.RoomId, command.ActorId, now);
        }
    }
}
