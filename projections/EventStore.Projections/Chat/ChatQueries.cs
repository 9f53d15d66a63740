using EventStore.Domain;
using EventStore.Domain.Chat;
using EventStore.Projections.Users;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Projections.Chat;

/// <summary>
/// Every read of the Chat read models (rooms, messages, read markers), for the GraphQL fields, subscriptions and the
/// assistant alike. A private or direct room is NOT_FOUND to non-members.
/// </summary>
public static class ChatQueries
{
    /// <summary>
    /// The room from its projection, or aggregated live (mutation results, or before the daemon caught up). Members read
    /// private and direct rooms; admins read every room (moderation); anyone logged in reads public ones.
    /// </summary>
    public static async Task<ChatRoomView> RoomAsync(IQuerySession session, Guid roomId, Guid viewer, bool isAdmin, bool live,
        CancellationToken ct)
    {
        var view = live ? null : await session.LoadAsync<ChatRoomView>(roomId, ct);
        view ??= await session.Events.AggregateStreamAsync<ChatRoomView>(roomId, token: ct);
        if (view is null || view.Id == Guid.Empty || !CanRead(view, viewer, isAdmin))
        {
            throw new NotFoundException("Room not found.");
        }

        return view;
    }

    public static bool CanRead(ChatRoomView room, Guid viewer, bool isAdmin) =>
        isAdmin || room.Visibility == RoomVisibility.Public || room.MemberIds.Contains(viewer);

    /// <summary>The viewer's rooms, and with <paramref name="includePublic"/> every public room too; latest activity first.</summary>
    public static async Task<IReadOnlyList<ChatRoomView>> RoomsAsync(IQuerySession session, Guid viewer, bool includePublic, int limit,
        CancellationToken ct)
    {
        IQueryable<ChatRoomView> query = session.Query<ChatRoomView>();
        query = includePublic
            ? query.Where(x => x.MemberIds.Contains(viewer) || x.Visibility == RoomVisibility.Public)
            : query.Where(x => x.MemberIds.Contains(viewer));
        return await query.OrderByDescending(x => x.UpdatedAt).ThenBy(x => x.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>A message as of its latest event (what a mutation returns).</summary>
    public static Task<ChatMessageView?> MessageAsync(IQuerySession session, Guid messageId, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<ChatMessageView>(messageId, token: ct);

    /// <summary>A message as of one of its events (what a live update shows).</summary>
    public static Task<ChatMessageView?> MessageAsOfAsync(IQuerySession session, Guid messageId, long version, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<ChatMessageView>(messageId, version, token: ct);

    /// <summary>Newest first, keyset over (posted at, id): the page after <paramref name="after"/>.</summary>
    public static async Task<(IReadOnlyList<ChatMessageView> Items, bool HasNext)> MessagesAsync(IQuerySession session, Guid roomId,
        int first, (DateTimeOffset At, Guid Id)? after, CancellationToken ct)
    {
        IQueryable<ChatMessageView> query = session.Query<ChatMessageView>().Where(x => x.RoomId == roomId);
        if (after is var (at, id))
        {
            query = query.Where(x => x.MatchesSql("(d.posted_at, d.id) < (?, ?)", at, id));
        }

        var rows = await query.OrderByDescending(x => x.PostedAt).ThenByDescending(x => x.Id).Take(first + 1).ToListAsync(ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    /// <summary>
    /// Per room, the messages by others, not deleted, after the viewer's read marker (all of them without a marker), for many
    /// rooms in two round trips whatever their number: the viewer's read markers
    /// (one batch load), then one count per room in one statement over the indexed room_id/posted_at columns.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, int>> UnreadCountsAsync(IQuerySession session, Guid viewer,
        IReadOnlyCollection<Guid> roomIds, CancellationToken ct)
    {
        if (roomIds.Count == 0)
        {
            return new Dictionary<Guid, int>();
        }

        var rooms = roomIds.Distinct().ToArray();
        var markers = (await session.LoadManyAsync<RoomReadMarkerView>(ct, rooms.Select(r => ChatIds.ReadMarker(r, viewer))))
            .ToDictionary(m => m.RoomId);
        var hasMarker = rooms.Select(markers.ContainsKey).ToArray();
        var upToAt = rooms.Select(r => markers.TryGetValue(r, out var m) ? m.UpToPostedAt : DateTimeOffset.UnixEpoch).ToArray();
        var upToId = rooms.Select(r => markers.TryGetValue(r, out var m) ? m.UpToMessageId : Guid.Empty).ToArray();
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(ChatMessageView)).TableName.QualifiedName;
        var sql = $"""
            select json_build_object('RoomId', r.room_id, 'Count', (
                select count(*) from {table} d
                where d.room_id = r.room_id
                  and CAST(d.data ->> 'Deleted' as boolean) = false
                  and CAST(d.data ->> 'AuthorId' as uuid) <> ?
                  and (not r.has_marker or (d.posted_at, d.id) > (r.up_to_at, r.up_to_id))))
            from unnest(?, ?, ?, ?) as r(room_id, has_marker, up_to_at, up_to_id)
            """;
        var counts = await session.QueryAsync<RoomCount>(sql, ct, viewer, rooms, hasMarker, upToAt, upToId);
        return counts.ToDictionary(c => c.RoomId, c => c.Count);
    }

    /// <summary>Usernames of message authors and room members: the assistant's own name for its replies.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> UsernamesAsync(IQuerySession session, IReadOnlyCollection<Guid> userIds,
        CancellationToken ct)
    {
        var names = new Dictionary<Guid, string>(await UserQueries.UsernamesAsync(session, [.. userIds.Where(id => id != ChatIds.AssistantUserId)], ct));
        if (userIds.Contains(ChatIds.AssistantUserId))
        {
            names[ChatIds.AssistantUserId] = ChatIds.AssistantName;
        }

        return names;
    }

    private sealed record RoomCount(Guid RoomId, int Count);
}
