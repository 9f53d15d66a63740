using EventStore.Domain.Community;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace EventStore.Projections.Community;

/// <summary>One comment under a post.</summary>
public sealed class PostCommentView
{
    public Guid Id { get; set; }
    public Guid PostId { get; set; }
    public Guid AuthorId { get; set; }

    /// <summary>Null once the author is erased.</summary>
    public string? Text { get; set; }
    public List<Guid> MentionedUserIds { get; set; } = [];
    public DateTimeOffset CommentedAt { get; set; }
    public int Version { get; set; }
}

public sealed class PostCommentViewProjection : SingleStreamProjection<PostCommentView, Guid>
{
    private readonly PersonalDataProtector _protector;

    /// <summary>Filtered on the module's event types: the shards never load other modules' events (docs/performance.md).</summary>
    public PostCommentViewProjection(PersonalDataProtector protector)
    {
        _protector = protector;
        IncludedEventTypes.AddRange(CommunityModule.EventTypes);
    }

    public override async ValueTask<PostCommentView?> EvolveAsync(PostCommentView? snapshot, Guid id, IQuerySession session, IEvent e,
        CancellationToken cancellation) => e.Data is PostCommented c
        ? new PostCommentView
        {
            Id = c.CommentId, PostId = c.PostId, AuthorId = c.AuthorId,
            Text = (await _protector.OpenerAsync(session, [c.Text.Subject], cancellation)).Open(c.Text),
            MentionedUserIds = [.. c.MentionedUserIds], CommentedAt = c.CommentedAt,
        }
        : snapshot;
}

/// <summary>One user's like of one post; a post's like count counts the rows with <see cref="Liked"/>.</summary>
public sealed class PostLikeView
{
    public Guid Id { get; set; }
    public Guid PostId { get; set; }
    public Guid UserId { get; set; }
    public bool Liked { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class PostLikeViewProjection : SingleStreamProjection<PostLikeView, Guid>
{
    public static PostLikeView Create(PostLiked e) => new() { PostId = e.PostId, UserId = e.UserId, Liked = true, ChangedAt = e.LikedAt };

    public static void Apply(PostLiked e, PostLikeView view)
    {
        view.Liked = true;
        view.ChangedAt = e.LikedAt;
    }

    public static void Apply(PostUnliked e, PostLikeView view)
    {
        view.Liked = false;
        view.ChangedAt = e.UnlikedAt;
    }
}

/// <summary>One follow between two users; the feed reads the rows of a follower with <see cref="Following"/>.</summary>
public sealed class FollowView
{
    public Guid Id { get; set; }
    public Guid FollowerId { get; set; }
    public Guid FolloweeId { get; set; }
    public bool Following { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class FollowViewProjection : SingleStreamProjection<FollowView, Guid>
{
    public static FollowView Create(UserFollowed e) =>
        new() { FollowerId = e.FollowerId, FolloweeId = e.FolloweeId, Following = true, ChangedAt = e.FollowedAt };

    public static void Apply(UserFollowed e, FollowView view)
    {
        view.Following = true;
        view.ChangedAt = e.FollowedAt;
    }

    public static void Apply(UserUnfollowed e, FollowView view)
    {
        view.Following = false;
        view.ChangedAt = e.UnfollowedAt;
    }
}

/// <summary>
/// Async projection on <see cref="PersonalDataErased"/>: blanks at once the texts of the erased user's posts and
/// comments, which the post and comment projections would only show as null on their next rebuild.
/// </summary>
public sealed partial class CommunityErasureProjection : EventProjection
{
    public CommunityErasureProjection() => IncludeType<PersonalDataErased>();

    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is not PersonalDataErased erased)
        {
            return;
        }

        foreach (var post in await operations.Query<PostView>().Where(x => x.AuthorId == erased.UserId).ToListAsync(cancellation))
        {
            PostViewProjection.Forget(post);
            operations.Store(post);
        }

        foreach (var comment in await operations.Query<PostCommentView>().Where(x => x.AuthorId == erased.UserId).ToListAsync(cancellation))
        {
            comment.Text = null;
            operations.Store(comment);
        }

        // Reasons the erased user wrote as a moderator.
        foreach (var post in await operations.Query<PostView>().Where(x => x.ModeratedBy == erased.UserId).ToListAsync(cancellation))
        {
            post.ModerationReason = null;
            operations.Store(post);
        }
    }
}
