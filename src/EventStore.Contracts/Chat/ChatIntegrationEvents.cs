namespace EventStore.Contracts.Chat;

// Outbound facts of the Chat module (docs/integration.md).

/// <summary>
/// A message was posted, in a room of any kind. The text never leaves the platform, not even for public rooms: it is
/// personal data under crypto-shredding (docs/compliance.md), and a copy on a topic could not be erased. A consumer
/// that needs the text reads it through the API, as the user it acts for. Key: the room id (one room's messages keep
/// their order). <see cref="InteractionId"/> is set on the assistant's replies.
/// </summary>
[IntegrationEvent(IntegrationModules.Chat, "message-posted", 1)]
public sealed record MessagePosted(
    Guid MessageId, Guid RoomId, string RoomKind, Guid AuthorId, IReadOnlyList<Guid> MentionedUserIds, Guid? InteractionId,
    DateTimeOffset PostedAt) : IntegrationEvent
{
    public const string Public = "PUBLIC";
    public const string Private = "PRIVATE";
    public const string Direct = "DIRECT";
}

/// <summary>
/// A message mentioned a user: one event per mentioned user, when the message is posted, and for users an edit newly
/// mentions. In a private or direct room only members are told (a mention never reveals a room to an outsider).
/// Key: the room id.
/// </summary>
[IntegrationEvent(IntegrationModules.Chat, "user-mentioned", 1)]
public sealed record UserMentioned(Guid MessageId, Guid RoomId, Guid MentionedUserId, Guid AuthorId, DateTimeOffset MentionedAt)
    : IntegrationEvent;
