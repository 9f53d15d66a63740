using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Chat.Messages;

/// <summary>The author replaces a message's text. The earlier text stays in the message's stream (edit history).</summary>
public sealed record EditMessage(Guid MessageId, Guid EditorId, [MultiLine(MessageText.MaxLength)] string Text)
{
    public sealed class Validator : AbstractValidator<EditMessage>
    {
        public Validator()
        {
            RuleFor(x => x.MessageId).NotEmpty();
            RuleFor(x => x.EditorId).NotEmpty();
            RuleFor(x => x.Text).ValidMessageText();
        }
    }
}

public static class EditMessageHandler
{
    public static async Task Handle(EditMessage command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stream = await session.Events.FetchForWriting<Message>(command.MessageId, ct);
        var room = stream.Aggregate is { Id: var id } && id != Guid.Empty
            ? await session.Events.FetchLatest<Room>(stream.Aggregate.RoomId, ct)
            : null;
        var mentions = await ChatRules.ResolveMentionsAsync(session, command.Text, ct);
        var current = await protector.OpenerAsync(session, [command.EditorId], ct);
        var personal = await protector.SealerAsync(session, command.EditorId, now, ct);
        stream.AppendMany(Decide(stream.Aggregate, room, command, mentions, current, personal, now));
    }

    /// <summary>
    /// Only the author edits, while still a member. Editing does not summon the assistant again: only a new post does.
    /// </summary>
    public static IEnumerable<object> Decide(Message? message, Room? room, EditMessage command, IReadOnlyList<Guid> mentions,
        PersonalDataOpener current, PersonalDataSealer personal, DateTimeOffset now)
    {
        if (message is null || message.Id == Guid.Empty)
        {
            throw new NotFoundException("Message not found.");
        }

        RoomGuards.MustBeMember(room, command.EditorId);
        if (message.AuthorId != command.EditorId)
        {
            throw new ForbiddenException("Only the author can edit a message.");
        }

        if (message.Deleted)
        {
            throw new ConflictException("The message was deleted.");
        }

        var text = MessageText.Normalize(command.Text);
        if (text != current.Open(message.Text))
        {
            yield return new MessageEdited(message.Id, message.RoomId, command.EditorId, personal.Seal(text), mentions,
                MessageText.MentionsAssistant(text), now);
        }
    }
}
