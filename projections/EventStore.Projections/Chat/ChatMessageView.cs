using EventStore.Domain.Chat;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

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

    /// <summary>Whose key seals the text: the author, or for an assistant reply the user who asked.</summary>
    public Guid TextOwnerId { get; set; }

    /// <summary>Null once deleted, or once <see cref="TextOwnerId"/> is erased.</summary>
    public string? Text { get; set; }
    public List<Guid> MentionedUserIds { get; set; } = [];
    public bool MentionsAssistant { get; set; }

    /// <summary>On the assistant's replies: the interaction that produced the text.</summary>
    public Guid? InteractionId { get; set; }

    public DateTimeOffset PostedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }

    /// <summary>Earlier texts, oldest first (empty strings once the owner is erased).</summary>
    public List<MessageRevision> Revisions { get; set; } = [];

    public bool Deleted { get; set; }
    public Guid? DeletedBy { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public int Version { get; set; }
}

public sealed record MessageRevision(string Text, DateTimeOffset WrittenAt);

/// <summary>
/// Async projection, a pure function of the message's events and of the key that seals its text: the text is opened at
/// projection time, so once that key is erased a rebuild gives the same rows as <see cref="ChatErasureProjection"/>
/// leaves behind (text null, earlier texts empty).
/// </summary>
public sealed class ChatMessageViewProjection : SingleStreamProjection<ChatMessageView, Guid>
{
    private readonly PersonalDataProtector _protector;

    /// <summary>Filtered on the module's event types: the shards never load other modules' events (docs/performance.md).</summary>
    public ChatMessageViewProjection(PersonalDataProtector protector)
    {
        _protector = protector;
        IncludedEventTypes.AddRange(ChatModule.EventTypes);
    }

    public override async ValueTask<ChatMessageView?> EvolveAsync(
        ChatMessageView? snapshot, Guid id, IQuerySession session, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case MessagePosted posted:
                return Start(posted, await _protector.OpenerAsync(session, [posted.Text.Subject], cancellation));
            case MessageEdited edited when snapshot is not null:
                Fold(edited, snapshot, await _protector.OpenerAsync(session, [edited.Text.Subject], cancellation));
                return snapshot;
            case MessageDeleted deleted when snapshot is not null:
                Fold(deleted, snapshot);
                return snapshot;
            default:
                return snapshot;
        }
    }

    public static ChatMessageView Start(MessagePosted e, PersonalDataOpener personal) => new()
    {
        Id = e.MessageId, RoomId = e.RoomId, AuthorId = e.AuthorId, TextOwnerId = e.Text.Subject, Text = personal.Open(e.Text),
        MentionedUserIds = [.. e.MentionedUserIds], MentionsAssistant = e.MentionsAssistant, InteractionId = e.InteractionId,
        PostedAt = e.PostedAt,
    };

    public static void Fold(MessageEdited e, ChatMessageView view, PersonalDataOpener personal)
    {
        if (view.Deleted)
        {
            return;
        }

        view.Revisions.Add(new MessageRevision(view.Text ?? "", view.EditedAt ?? view.PostedAt));
        view.TextOwnerId = e.Text.Subject;
        view.Text = personal.Open(e.Text);
        view.MentionedUserIds = [.. e.MentionedUserIds];
        view.MentionsAssistant = e.MentionsAssistant;
        view.EditedAt = e.EditedAt;
    }

    public static void Fold(MessageDeleted e, ChatMessageView view)
    {
        view.Text = null;
        view.Revisions.Clear();
        view.MentionedUserIds.Clear();
        view.Deleted = true;
        view.DeletedBy = e.DeletedBy;
        view.DeletedAt = e.DeletedAt;
    }

    /// <summary>What an erasure of <see cref="ChatMessageView.TextOwnerId"/> leaves: what a rebuild without the key gives.</summary>
    public static void Forget(ChatMessageView view)
    {
        view.Text = null;
        view.Revisions = [.. view.Revisions.Select(r => r with { Text = "" })];
    }
}

/// <summary>
/// Async projection on <see cref="PersonalDataErased"/>: blanks at once the texts of the erased user's messages (and
/// of the assistant's replies to them) and the names of the rooms they created, which the message and room projections
/// would only show as null on their next rebuild.
/// </summary>
public sealed partial class ChatErasureProjection : EventProjection
{
    public ChatErasureProjection() => IncludeType<PersonalDataErased>();

    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is not PersonalDataErased erased)
        {
            return;
        }

        var views = await operations.Query<ChatMessageView>().Where(x => x.TextOwnerId == erased.UserId).ToListAsync(cancellation);
        foreach (var view in views)
        {
            ChatMessageViewProjection.Forget(view);
            operations.Store(view);
        }

        var rooms = await operations.Query<ChatRoomView>().Where(x => x.OwnerId == erased.UserId && x.Name != null).ToListAsync(cancellation);
        foreach (var room in rooms)
        {
            room.Name = null;
            operations.Store(room);
        }
    }
}
