using EventStore.Domain;
using EventStore.Domain.Community;
using EventStore.Domain.Users;
using EventStore.Projections.Users;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Projections.Community;

/// <summary>
/// Every read of the Community read models, for the GraphQL fields and the live feed alike. A hidden post is NOT_FOUND (and absent from lists) to everyone
/// but its author and moderators; a deleted post is absent from lists and shows as redacted in `post(id)`.
/// </summary>
public static class CommunityQueries
{
    /// <summary>Comments returned with a post, oldest first.</summary>
    public const int MaxComments = 200;

    public static bool CanSee(PostView post, Guid viewer, bool moderator) => !post.Hidden || moderator || post.AuthorId == viewer;

    /// <summary>The post from its projection, or aggregated live (mutation results, or before the daemon caught up).</summary>
    public static async Task<PostView> PostAsync(IQuerySession session, Guid postId, Guid viewer, bool moderator, bool live,
        CancellationToken ct)
    {
        var view = live ? null : await session.LoadAsync<PostView>(postId, ct);
        view ??= await session.Events.AggregateStreamAsync<PostView>(postId, token: ct);
        if (view is null || view.Id == Guid.Empty || !CanSee(view, viewer, moderator))
        {
            throw new NotFoundException("Post not found.");
        }

        return view;
    }

    /// <summary>Posts of the people the viewer follows and the viewer's own, newest first, keyset over (created at, id).</summary>
    public static async Task<(IReadOnlyList<PostView> Items, bool HasNext)> FeedAsync(IQuerySession session, Guid viewer, bool moderator,
        int first, (DateTimeOffset At, Guid Id)? after, CancellationToken ct)
    {
        var followees = await session.Query<FollowView>().Where(x => x.FollowerId == viewer && x.Following)
            .Select(x => x.FolloweeId).ToListAsync(ct);
        var authors = followees.Append(viewer).ToArray();
        return await PageAsync(Visible(session.Query<PostView>().Where(x => authors.Contains(x.AuthorId)), viewer, moderator),
            first, after, ct);
    }

    /// <summary>Posts by an author and/or on a symbol (both optional), newest first.</summary>
    public static async Task<(IReadOnlyList<PostView> Items, bool HasNext)> PostsAsync(IQuerySession session, Guid? authorId,
        string? symbol, Guid viewer, bool moderator, int first, (DateTimeOffset At, Guid Id)? after, CancellationToken ct)
    {
        var query = session.Query<PostView>().AsQueryable();
        if (authorId is { } author)
        {
            query = query.Where(x => x.AuthorId == author);
        }

        if (CommunityRules.NormalizeSymbol(symbol) is { } s)
        {
            query = query.Where(x => x.Symbol == s);
        }

        return await PageAsync(Visible(query, viewer, moderator), first, after, ct);
    }

    private static IQueryable<PostView> Visible(IQueryable<PostView> query, Guid viewer, bool moderator)
    {
        query = query.Where(x => !x.Deleted);
        return moderator ? query : query.Where(x => !x.Hidden || x.AuthorId == viewer);
    }

    private static async Task<(IReadOnlyList<PostView> Items, bool HasNext)> PageAsync(IQueryable<PostView> query, int first,
        (DateTimeOffset At, Guid Id)? after, CancellationToken ct)
    {
        if (after is var (at, id))
        {
            query = query.Where(x => x.MatchesSql("(d.created_at, d.id) < (?, ?)", at, id));
        }

        var rows = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id).Take(first + 1).ToListAsync(ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    /// <summary>From the follow's own stream: current even right after `follow` returns.</summary>
    public static async Task<bool> FollowingAsync(IQuerySession session, Guid followerId, Guid followeeId, CancellationToken ct) =>
        (await session.Events.AggregateStreamAsync<Follow>(CommunityIds.Follow(followerId, followeeId), token: ct))?.Following == true;

    /// <summary>Comment counts of many posts in one round trip.</summary>
    public static async Task<IReadOnlyDictionary<Guid, int>> CommentCountsAsync(IQuerySession session, IReadOnlyCollection<Guid> postIds,
        CancellationToken ct) => await CountByPostAsync<PostCommentView>(session, postIds, "true", ct);

    /// <summary>Like counts of many posts in one round trip.</summary>
    public static async Task<IReadOnlyDictionary<Guid, int>> LikeCountsAsync(IQuerySession session, IReadOnlyCollection<Guid> postIds,
        CancellationToken ct) => await CountByPostAsync<PostLikeView>(session, postIds, "CAST(d.data ->> 'Liked' as boolean)", ct);

    /// <summary>The first <see cref="MaxComments"/> comments of many posts, oldest first, in one round trip.</summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<PostCommentView>>> CommentsOfAsync(IQuerySession session,
        IReadOnlyCollection<Guid> postIds, CancellationToken ct)
    {
        var ids = postIds.Distinct().ToArray();
        var rows = ids.Length == 0 ? [] : await session.Query<PostCommentView>().Where(x => ids.Contains(x.PostId))
            .OrderBy(x => x.CommentedAt).ThenBy(x => x.Id).ToListAsync(ct);
        return ids.ToDictionary(id => id,
            id => (IReadOnlyList<PostCommentView>)rows.Where(r => r.PostId == id).Take(MaxComments).ToList());
    }

    /// <summary>Whether the viewer likes each of many posts, from the likes' own streams (one batch, read-your-writes).</summary>
    public static async Task<IReadOnlyDictionary<Guid, bool>> LikedManyAsync(IQuerySession session, Guid userId,
        IReadOnlyCollection<Guid> postIds, CancellationToken ct)
    {
        var ids = postIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<Guid, bool>();
        }

        // The likes' own events in one query (read-your-writes: a like shows as soon as `likePost` returns), folded by the write model's own Apply.
        var streams = ids.ToDictionary(id => CommunityIds.Like(id, userId));
        var keys = streams.Keys.ToArray();
        var events = await session.Events.QueryAllRawEvents().Where(e => keys.Contains(e.StreamId))
            .OrderBy(e => e.Sequence).ToListAsync(ct);
        var likes = new Dictionary<Guid, PostLike>();
        foreach (var e in events)
        {
            var like = likes.TryGetValue(e.StreamId, out var known) ? known : likes[e.StreamId] = new PostLike();
            switch (e.Data)
            {
                case PostLiked liked: like.Apply(liked); break;
                case PostUnliked unliked: like.Apply(unliked); break;
            }
        }

        var result = ids.ToDictionary(id => id, _ => false);
        foreach (var (streamId, postId) in streams)
        {
            result[postId] = likes.TryGetValue(streamId, out var like) && like.Liked;
        }

        return result;
    }

    public static Task<IReadOnlyDictionary<Guid, string>> UsernamesAsync(IQuerySession session, IReadOnlyCollection<Guid> userIds,
        CancellationToken ct) => UserQueries.UsernamesAsync(session, userIds, ct);

    /// <summary>A comment as of its latest event (what a mutation returns).</summary>
    public static Task<PostCommentView?> CommentAsync(IQuerySession session, Guid commentId, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<PostCommentView>(commentId, token: ct);

    /// <summary>A post as of one of its events (what a live update shows).</summary>
    public static Task<PostView?> PostAsOfAsync(IQuerySession session, Guid postId, long version, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<PostView>(postId, version, token: ct);

    private static async Task<IReadOnlyDictionary<Guid, int>> CountByPostAsync<T>(IQuerySession session, IReadOnlyCollection<Guid> postIds,
        string condition, CancellationToken ct)
    {
        var ids = postIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<Guid, int>();
        }

        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
        var sql = $"""
            select json_build_object('PostId', p.id, 'Count', (
                select count(*) from {table} d where d.post_id = p.id and {condition}))
            from unnest(?) as p(id)
            """;
        var counts = await session.QueryAsync<PostCount>(sql, ct, ids);
        return counts.ToDictionary(c => c.PostId, c => c.Count);
    }

    private sealed record PostCount(Guid PostId, int Count);
}
