using EventStore.Domain.Files;
using EventStore.Domain.Files.Attaching;
using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Wolverine;

namespace EventStore.Domain.Chat.Messages;

/// <summary>A member posts into a room. <paramref name="MessageId"/> is created at the edge.</summary>
/// <paramref name="AttachmentIds"/> are files the author uploaded (docs/files.md), attached in the same transaction.
public sealed record PostMessage(Guid MessageId, Guid RoomId, Guid AuthorId, [MultiLine(MessageText.MaxLength)] string Text,
    IReadOnlyList<Guid>? AttachmentIds = null)
{
    public sealed class Validator : AbstractValidator<PostMessage>
    {
        public Validator()
        {
            RuleFor(x => x.MessageId).NotEmpty();
            RuleFor(x => x.RoomId).NotEmpty();
            RuleFor(x => x.AuthorId).NotEmpty();
            RuleFor(x => x.Text).ValidMessageText();
            RuleFor(x => x.AttachmentIds).Must(ids => ids is null || ids.Count <= FileAttachments.MaxPerTarget)
                .WithMessage($"At most {FileAttachments.MaxPerTarget} attachments.");
            RuleForEach(x => x.AttachmentIds).NotEmpty();
        }
    }
}

public sealed record PostedMessage(Guid MessageId);

public static class PostMessageHandler
{
    /// <summary>
    /// Starts the message's stream. A mention of <c>@assistant</c> cascades <see cref="AnswerMention"/> through the
    /// durable inbox, in the same transaction: the post commits whatever the assistant later does.
    /// </summary>
    public static async Task<(PostedMessage, OutgoingMessages)> Handle(PostMessage command, IDocumentSession session,
        PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var room = await session.Events.FetchLatest<Room>(command.RoomId, ct);
        RoomGuards.MustBeMember(room, command.AuthorId);
        var mentions = await ChatRules.ResolveMentionsAsync(session, command.Text, ct);
        var personal = await protector.SealerAsync(session, command.AuthorId, now, ct);
        var posted = Decide(room, command, mentions, personal, now);
        session.Events.StartStream<Message>(command.MessageId, posted);
        if (command.AttachmentIds is { Count: > 0 } attachments)
        {
            await FileAttachments.AttachAsync(session, attachments, AttachmentKind.Message, command.MessageId, command.RoomId,
                command.AuthorId, now, ct);
        }

        var outgoing = new OutgoingMessages();
        if (posted.MentionsAssistant)
        {
            // The prompt waits in the durable inbox (a table) until answered: sealed there too, so an erasure reaches it.
            outgoing.Add(new AnswerMention(ChatIds.AssistantInteractionFor(posted.MessageId), posted.RoomId, posted.MessageId,
                posted.AuthorId, personal.Seal(MessageText.AssistantPrompt(MessageText.Normalize(command.Text)))));
        }

        return (new PostedMessage(command.MessageId), outgoing);
    }

    /// <summary>The text is sealed under the author's key (<paramref name="personal"/>).</summary>
    public static MessagePosted Decide(Room? room, PostMessage command, IReadOnlyList<Guid> mentionedUserIds,
        PersonalDataSealer personal, DateTimeOffset now)
    {
        RoomGuards.MustBeMember(room, command.AuthorId);
        var text = MessageText.Normalize(command.Text);
        return new MessagePosted(command.MessageId, room.Id, command.AuthorId, personal.Seal(text), mentionedUserIds,
            MessageText.MentionsAssistant(text), null, now);
    }
}
