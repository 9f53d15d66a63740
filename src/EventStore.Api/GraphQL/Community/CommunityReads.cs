using EventStore.Api.Auth;
using EventStore.Domain;
using EventStore.Domain.Community;
using EventStore.Domain.Users;
using EventStore.Projections.Community;
using EventStore.Projections.Users;
using GraphQL;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Api.GraphQL.Community;

/// <summary>
/// Reads behind the Community fields, straight to Marten. A hidden post is NOT_FOUND (and absent from lists) to everyone
/// but its author and moderators; a deleted post is absent from lists and shows as redacted in `post(id)`.
/// </summary>
public static class CommunityReads
{
    /// <summary>Comments returned with a post, oldest first.</summary>
    public const int MaxComments = 200;

    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();

    public static Guid Me(IResolveFieldContext c) => c.User.UserId()!.Value;

    /// <summary>Moderators and admins see hidden posts and moderate.</summary>
    public static bool IsModerator(IResolveFieldContext c) =>
        c.User is { } user && (user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin));

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
        int first, string? after, CancellationToken ct)
    {
        var followees = await session.Query<FollowView>().Where(x => x.FollowerId == viewer && x.Following)
            .Select(x => x.FolloweeId).ToListAsync(ct);
        var authors = followees.Append(viewer).ToArray();
        return await PageAsync(Visible(session.Query<PostView>().Where(x => authors.Contains(x.AuthorId)), viewer, moderator),
            first, after, ct);
    }

    /// <summary>Posts by an author and/or on a symbol (both optional), newest first.</summary>
    public static async Task<(IReadOnlyList<PostView> Items, bool HasNext)> PostsAsync(IQuerySession session, Guid? authorId,
        string? symbol, Guid viewer, bool moderator, int first, string? after, CancellationToken ct)
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
        string? after, CancellationToken ct)
    {
        if (after is not null)
        {
            var (at, id) = Trading.KeysetCursor.Decode(after);
            query = query.Where(x => x.MatchesSql("(d.created_at, d.id) < (?, ?)", at, id));
        }

        var rows = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id).Take(first + 1).ToListAsync(ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    public static string Cursor(PostView post) => Trading.KeysetCursor.Encode(post.CreatedAt, post.Id);

    public static async Task<IReadOnlyList<PostCommentView>> CommentsAsync(IQuerySession session, Guid postId, CancellationToken ct) =>
        await session.Query<PostCommentView>().Where(x => x.PostId == postId)
            .OrderBy(x => x.CommentedAt).ThenBy(x => x.Id).Take(MaxComments).ToListAsync(ct);

    public static async Task<int> CommentCountAsync(IQuerySession session, Guid postId, CancellationToken ct) =>
        await session.Query<PostCommentView>().CountAsync(x => x.PostId == postId, ct);

    public static async Task<int> LikeCountAsync(IQuerySession session, Guid postId, CancellationToken ct) =>
        await session.Query<PostLikeView>().CountAsync(x => x.PostId == postId && x.Liked, ct);

    /// <summary>From the like's own stream: current even right after `likePost` returns.</summary>
    public static async Task<bool> LikedAsync(IQuerySession session, Guid postId, Guid userId, CancellationToken ct) =>
        (await session.Events.AggregateStreamAsync<PostLike>(CommunityIds.Like(postId, userId), token: ct))?.Liked == true;

    /// <summary>From the follow's own stream: current even right after `follow` returns.</summary>
    public static async Task<bool> FollowingAsync(IQuerySession session, Guid followerId, Guid followeeId, CancellationToken ct) =>
        (await session.Events.AggregateStreamAsync<Follow>(CommunityIds.Follow(followerId, followeeId), token: ct))?.Following == true;

    public static async Task<string?> UsernameAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        (await session.LoadAsync<UserProfile>(userId, ct))?.Username;
}
