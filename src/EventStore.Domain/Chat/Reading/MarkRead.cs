using FluentValidation;
using Marten;

namespace EventStore.Domain.Chat.Reading;

/// <summary>A member has read a room up to and including <paramref name="MessageId"/>.</summary>
public sealed record MarkRead(Guid RoomId, Guid UserId, Guid MessageId)
{
    public sealed class Validator : AbstractValidator<MarkRead>
    {
        public Validator()
        {
            RuleFor(x => x.RoomId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.MessageId).NotEmpty();
        }
    }
}

public static class MarkReadHandler
{
    public static async Task Handle(MarkRead command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var room = await session.Events.FetchLatest<Room>(command.RoomId, ct);
        var message = await session.Events.FetchLatest<Message>(command.MessageId, ct);
        var marker = await session.Events.FetchForWriting<ReadMarker>(ChatIds.ReadMarker(command.RoomId, command.UserId), ct);
        marker.AppendMany(Decide(room, message, marker.Aggregate, command, clock.GetUtcNow()));
    }

    /// <summary>Markers only move forward: marking an older message read changes nothing.</summary>
    public static IEnumerable<object> Decide(Room? room, Message? message, ReadMarker? marker, MarkRead command, DateTimeOffset now)
    {
        RoomGuards.MustBeMember(room, command.UserId);
        if (message is null || message.Id == Guid.Empty || message.RoomId != room.Id)
        {
            throw new NotFoundException("Message not found.");
        }

        if (marker is null || marker.IsBefore(message.PostedAt, message.Id))
        {
            yield return new RoomMessagesRead(room.Id, command.UserId, message.Id, message.PostedAt, now);
        }
    }
}
