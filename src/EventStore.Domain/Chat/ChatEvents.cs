using EventStore.Domain.Privacy;

namespace EventStore.Domain.Chat;

// Domain events of the Chat module. A room's stream (id RoomId) holds the room and its membership; each message has
// its own stream (id MessageId) holding the message, its edits and its deletion; each member's read marker in a room is
// a stream of its own (ChatIds.ReadMarker), so members marking read never contend with each other or with posts.
//
// Free text is personal data, sealed (docs/compliance.md): a message's text lives in exactly one field, `Text`, of
// MessagePosted and MessageEdited, sealed under the author's key (an assistant reply: under the key of the user who
// asked); a room's name, in RoomCreated.Name, under its creator's key. Erasing that user makes it unreadable. Room names
// stored before they were sealed are clear JSON strings, which still read (SealedText.LegacyClearText, docs/events.md).

public enum RoomVisibility
{
    Public,
    Private,
    Direct,
}

/// <param name="Name">Sealed under the creator's (<paramref name="OwnerId"/>) key.</param>
public sealed record RoomCreated(Guid RoomId, SealedText Name, RoomVisibility Visibility, Guid OwnerId, DateTimeOffset CreatedAt);

/// <summary>A direct room between two users; both are members from the start and there is no owner.</summary>
public sealed record DirectRoomOpened(Guid RoomId, Guid FirstUserId, Guid SecondUserId, DateTimeOffset OpenedAt);

/// <summary>The creator of a room, or a user joining a public room.</summary>
public sealed record RoomMemberJoined(Guid RoomId, Guid UserId, DateTimeOffset JoinedAt);

/// <summary>A member added someone: the only way into a private room. The invitee is a member at once.</summary>
public sealed record RoomMemberInvited(Guid RoomId, Guid UserId, Guid InvitedBy, DateTimeOffset InvitedAt);

public sealed record RoomMemberLeft(Guid RoomId, Guid UserId, DateTimeOffset LeftAt);

/// <summary>Moderation: the room's owner or an admin removed a member.</summary>
public sealed record RoomMemberRemoved(Guid RoomId, Guid UserId, Guid RemovedBy, DateTimeOffset RemovedAt);

/// <param name="MentionedUserIds">Users named with <c>@username</c> who exist; unknown names are plain text.</param>
/// <param name="MentionsAssistant">The text names <c>@assistant</c>: an interaction answers it in the room.</param>
/// <param name="InteractionId">Set on the assistant's own replies: the interaction that produced the text.</param>
public sealed record MessagePosted(
    Guid MessageId, Guid RoomId, Guid AuthorId, SealedText Text, IReadOnlyList<Guid> MentionedUserIds, bool MentionsAssistant,
    Guid? InteractionId, DateTimeOffset PostedAt);

/// <summary>The author replaced the text; the previous text stays in the stream (edit history).</summary>
public sealed record MessageEdited(
    Guid MessageId, Guid RoomId, Guid EditedBy, SealedText Text, IReadOnlyList<Guid> MentionedUserIds, bool MentionsAssistant,
    DateTimeOffset EditedAt);

/// <summary>
/// A redaction: read models drop the text (and its edit history) and show that the message was deleted, by whom and
/// when. The fact stays in the log.
/// </summary>
public sealed record MessageDeleted(Guid MessageId, Guid RoomId, Guid DeletedBy, DateTimeOffset DeletedAt);

/// <summary>A member has read the room up to and including this message (markers only move forward).</summary>
public sealed record RoomMessagesRead(Guid RoomId, Guid UserId, Guid UpToMessageId, DateTimeOffset UpToPostedAt, DateTimeOffset ReadAt);
