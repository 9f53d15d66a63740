using EventStore.Domain.Chat;
using JasperFx.Events;
using Marten;
using Out = EventStore.Contracts.Chat;

namespace EventStore.Api.Integration;

/// <summary>
/// Chat's public facts, keyed by the room so that one room's messages keep their order. Never the text: it is personal
/// data sealed under the author's key, and a copy on a topic could not be erased (docs/integration.md).
/// </summary>
public static class ChatToIntegration
{
    public static IntegrationEventMap MapChat(this IntegrationEventMap map) => map
        .MapMany<MessagePosted>(async (e, session, ct) =>
        {
            var posted = e.Data;
            var room = await RoomAsOf(e, posted.RoomId, session, ct);
            var messages = new List<IntegrationMessage>
            {
                new(new Out.MessagePosted(posted.MessageId, posted.RoomId, KindOf(room), posted.AuthorId,
                    posted.MentionedUserIds, posted.InteractionId, posted.PostedAt), posted.RoomId),
            };
            messages.AddRange(Mentions(room, posted.MessageId, posted.RoomId, posted.AuthorId, posted.MentionedUserIds,
                posted.PostedAt));
            return messages;
        })
        .MapMany<MessageEdited>(async (e, session, ct) =>
        {
            var edited = e.Data;
            var earlier = await MentionedBeforeAsync(e, edited.RoomId, session, ct);
            var added = edited.MentionedUserIds.Where(id => !earlier.Contains(id)).ToList();
            if (added.Count == 0)
            {
                return [];
            }

            var room = await RoomAsOf(e, edited.RoomId, session, ct);
            return Mentions(room, edited.MessageId, edited.RoomId, edited.EditedBy, added, edited.EditedAt).ToList();
        });

    /// <summary>One message per mentioned user who may be told, each with its own identity (the part).</summary>
    private static IEnumerable<IntegrationMessage> Mentions(Room? room, Guid messageId, Guid roomId, Guid authorId,
        IEnumerable<Guid> mentioned, DateTimeOffset at) =>
        mentioned
            .Distinct()
            .Where(userId => MayBeTold(room, userId))
            .Select(userId => new IntegrationMessage(new Out.UserMentioned(messageId, roomId, userId, authorId, at), roomId,
                $"mention:{userId:N}"));

    /// <summary>The room as it was when the message event was stored (membership changes later do not matter).</summary>
    private static Task<Room?> RoomAsOf(IEvent e, Guid roomId, IQuerySession session, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<Room>(roomId, timestamp: e.Timestamp, token: ct);

    /// <summary>
    /// Everyone who was told about the message before this edit: mentioned when it was posted or in an earlier edit,
    /// and allowed to be told then. Someone mentioned while an outsider, and again once a member, is told then.
    /// </summary>
    private static async Task<HashSet<Guid>> MentionedBeforeAsync(IEvent e, Guid roomId, IQuerySession session, CancellationToken ct)
    {
        var told = new HashSet<Guid>();
        foreach (var earlier in await session.Events.FetchStreamAsync(e.StreamId, e.Version - 1, token: ct))
        {
            var mentioned = earlier.Data switch
            {
                MessagePosted p => p.MentionedUserIds,
                MessageEdited x => x.MentionedUserIds,
                _ => [],
            };
            if (mentioned.Count > 0)
            {
                var room = await RoomAsOf(earlier, roomId, session, ct);
                told.UnionWith(mentioned.Where(userId => MayBeTold(room, userId)));
            }
        }

        return told;
    }

    /// <summary>In a private or direct room only its members at the time: a mention must not reveal the room.</summary>
    private static bool MayBeTold(Room? room, Guid userId) =>
        room is { Visibility: RoomVisibility.Public } || room?.IsMember(userId) == true;

    private static string KindOf(Room? room) => room?.Visibility switch
    {
        RoomVisibility.Private => Out.MessagePosted.Private,
        RoomVisibility.Direct => Out.MessagePosted.Direct,
        _ => Out.MessagePosted.Public,
    };
}
