using EventStore.Domain;
using EventStore.Domain.Chat;
using EventStore.Projections.Chat;
using EventStore.Projections.Users;
using GraphQL;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Api.GraphQL.Chat;

/// <summary>Reads behind the Chat fields, straight to Marten. A private or direct room is NOT_FOUND to non-members.</summary>
public static class ChatReads
{
    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();

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
    public static async Task<IReadOnlyList<ChatRoomView>> RoomsAsync(IQuerySession session, Guid viewer, bool includePublic, CancellationToken ct)
    {
        IQueryable<ChatRoomView> query = session.Query<ChatRoomView>();
        query = includePublic
            ? query.Where(x => x.MemberIds.Contains(viewer) || x.Visibility == RoomVisibility.Public)
            : query.Where(x => x.MemberIds.Contains(viewer));
        return await query.OrderByDescending(x => x.UpdatedAt).ThenBy(x => x.Id).Take(Paging.MaxPageSize * 2).ToListAsync(ct);
    }

    /// <summary>Newest first, keyset over (posted at, id).</summary>
    public static async Task<(IReadOnlyList<ChatMessageView> Items, bool HasNext)> MessagesAsync(IQuerySession session, Guid roomId,
        int first, string? after, CancellationToken ct)
    {
        IQueryable<ChatMessageView> query = session.Query<ChatMessageView>().Where(x => x.RoomId == roomId);
        if (after is not null)
        {
            var (at, id) = Trading.KeysetCursor.Decode(after);
            query = query.Where(x => x.MatchesSql("(d.posted_at, d.id) < (?, ?)", at, id));
        }

        var rows = await query.OrderByDescending(x => x.PostedAt).ThenByDescending(x => x.Id).Take(first + 1).ToListAsync(ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    /// <summary>Messages by others, not deleted, after the viewer's read marker (all of them without a marker).</summary>
    public static async Task<int> UnreadAsync(IQuerySession session, Guid roomId, Guid viewer, CancellationToken ct)
    {
        var marker = await session.LoadAsync<RoomReadMarkerView>(ChatIds.ReadMarker(roomId, viewer), ct);
        var query = session.Query<ChatMessageView>().Where(x => x.RoomId == roomId && !x.Deleted && x.AuthorId != viewer);
        if (marker is not null)
        {
            query = query.Where(x => x.MatchesSql("(d.posted_at, d.id) > (?, ?)", marker.UpToPostedAt, marker.UpToMessageId));
        }

        return await query.CountAsync(ct);
    }

    public static async Task<string?> UsernameAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        userId == ChatIds.AssistantUserId
            ? ChatIds.AssistantName
            : (await session.LoadAsync<UserProfile>(userId, ct))?.Username;
}
