using EventStore.Domain.Chat;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Chat;

/// <summary>
/// One message as a room shows it. After a deletion the text and its edit history are gone (redaction); what remains is
/// that a message was there, who wrote it, and who deleted it when.
/// </summary>
public sealed class ChatMessageView
{
    public Guid Id { get; set; }
    public Guid RoomId { get; set; }
    public Guid AuthorId { get; set; }
    public string? Text { get; set; }
    public List<Guid> MentionedUserIds { get; set; } = [];
    public bool MentionsAssistant { get; set; }

    /// <summary>On the assistant's replies: the interaction that produced the text.</summary>
    public Guid? InteractionId { get; set; }

    public DateTimeOffset PostedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }

    /// <summary>Earlier texts, oldest first.</summary>
    public List<MessageRevision> Revisions { get; set; } = [];

    public bool Deleted { get; set; }
    public Guid? DeletedBy { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public int Version { get; set; }
}

public sealed record MessageRevision(string Text, DateTimeOffset WrittenAt);

public sealed class ChatMessageViewProjection : SingleStreamProjection<ChatMessageView, Guid>
{
    public static ChatMessageView Create(MessagePosted e) => new()
    {
        Id = e.MessageId, RoomId = e.RoomId, AuthorId = e.AuthorId, Text = e.Text, MentionedUserIds = [.. e.MentionedUserIds],
        MentionsAssistant = e.MentionsAssistant, InteractionId = e.InteractionId, PostedAt = e.PostedAt,
    };

    public static void Apply(MessageEdited e, ChatMessageView view)
    {
        if (view.Deleted)
        {
            return;
        }

        view.Revisions.Add(new MessageRevision(view.Text ?? "", view.EditedAt ?? view.PostedAt));
        view.Text = e.Text;
        view.MentionedUserIds = [.. e.MentionedUserIds];
        view.MentionsAssistant = e.MentionsAssistant;
        view.EditedAt = e.EditedAt;
    }

    public static void Apply(MessageDeleted e, ChatMessageView view)
    {
        view.Text = null;
        view.Revisions.Clear();
        view.MentionedUserIds.Clear();
        view.Deleted = true;
        view.DeletedBy = e.DeletedBy;
        view.DeletedAt = e.DeletedAt;
    }
}
