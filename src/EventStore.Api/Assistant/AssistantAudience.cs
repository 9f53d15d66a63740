using EventStore.Domain.Chat;

namespace EventStore.Api.Assistant;

/// <summary>Who reads an answer, decided by the place it goes to, not by who asked.</summary>
public enum AudienceKind
{
    /// <summary>A private assistant conversation: the asker alone.</summary>
    Asker,

    /// <summary>A private or direct room: its members, those invited later (they read the history) and admins (moderation).</summary>
    RoomMembers,

    /// <summary>A public room: anyone signed in.</summary>
    Everyone,
}

/// <summary>
/// The reader set of the place an answer goes to. A room is never "the asker alone": not a direct room (two members),
/// not even a private room with one member, because whoever is invited later reads its history.
/// </summary>
/// <param name="RoomId">The room the answer is posted in; null for a conversation.</param>
public sealed record AssistantAudience(AudienceKind Kind, Guid AskerId, Guid? RoomId)
{
    public static AssistantAudience Asker(Guid askerId) => new(AudienceKind.Asker, askerId, null);

    /// <summary>The readers of <paramref name="room"/>; a room that cannot be read back counts as public, the widest.</summary>
    public static AssistantAudience InRoom(Room? room, Guid roomId, Guid askerId) =>
        new(room is { Visibility: RoomVisibility.Private or RoomVisibility.Direct } ? AudienceKind.RoomMembers : AudienceKind.Everyone,
            askerId, roomId);

    /// <summary>Recorded with every tool call (<c>AssistantToolInvoked.Audience</c>).</summary>
    public string Name => Kind switch
    {
        AudienceKind.Asker => "asker",
        AudienceKind.RoomMembers => "room_members",
        _ => "everyone",
    };

    /// <summary>
    /// May this audience hear what a tool of this kind read? Only if every reader of the answer may read the data itself.
    /// <paramref name="askedIn"/> is the room the question was asked in (live from its stream), null in a conversation.
    /// </summary>
    public bool MayHear(ToolData data, Room? askedIn) => data switch
    {
        ToolData.Public => true,
        ToolData.AskersOwn => Kind == AudienceKind.Asker,
        ToolData.RoomMessages => askedIn is { Id: var room } && room != Guid.Empty && askedIn.IsMember(AskerId)
            && (Kind == AudienceKind.Asker || RoomId == room),
        _ => false,
    };
}

/// <summary>Whose data a tool reads: it decides which audiences may hear the result (<see cref="AssistantAudience.MayHear"/>).</summary>
public enum ToolData
{
    /// <summary>Quotes and the instrument catalogue: anyone signed in may read them.</summary>
    Public,

    /// <summary>The asker's own account (cash, positions, P&amp;L, orders, fills): only an audience of exactly the asker.</summary>
    AskersOwn,

    /// <summary>The messages of the room asked in: that room's readers, or the asker alone when a member.</summary>
    RoomMessages,
}
