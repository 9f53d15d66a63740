namespace EventStore.Contracts.Chat;

// Outbound facts of the Chat module (published once Chat's domain events are mapped, docs/integration.md).

/// <summary>
/// A message was posted. <see cref="Text"/> is null for PRIVATE and DIRECT rooms: only public room text leaves the
/// platform. Key: the room id (one room's messages keep their order).
/// </summary>
[IntegrationEvent(IntegrationModules.Chat, "message-posted", 1)]
public sealed record MessagePosted(
    Guid MessageId, Guid RoomId, string RoomKind, Guid AuthorId, string? Text, IReadOnlyList<Guid> MentionedUserIds,
    DateTimeOffset PostedAt) : IntegrationEvent
{
    public const string Public = "PUBLIC";
    public const string Private = "PRIVATE";
    public const string Direct = "DIRECT";
}

/// <summary>A message mentioned a user (one event per mentioned user). Key: the room id.</summary>
[IntegrationEvent(IntegrationModules.Chat, "user-mentioned", 1)]
public sealed record UserMentioned(Guid MessageId, Guid RoomId, Guid MentionedUserId, Guid AuthorId, DateTimeOffset MentionedAt)
    : IntegrationEvent;
