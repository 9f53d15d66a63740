using System.Diagnostics.CodeAnalysis;
using EventStore.Domain.Privacy;

namespace EventStore.Domain.Community;

/// <summary>Slim write model of one post: its author, current text, and whether it is deleted or hidden.</summary>
public sealed class Post
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid AuthorId { get; set; }

    /// <summary>Sealed under the author's key; null once deleted.</summary>
    public SealedText? Text { get; set; }
    public string? Symbol { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public bool Deleted { get; set; }
    public bool Hidden { get; set; }

    public void Apply(PostCreated e)
    {
        Id = e.PostId;
        AuthorId = e.AuthorId;
        Text = e.Text;
        Symbol = e.Symbol;
        CreatedAt = e.CreatedAt;
    }

    public void Apply(PostEdited e) => Text = e.Text;

    public void Apply(PostDeleted e)
    {
        Deleted = true;
        Text = null;
    }

    public void Apply(PostReported e)
    {
    }

    public void Apply(PostHidden e) => Hidden = true;

    public void Apply(PostRestored e) => Hidden = false;

    /// <summary>Who may see it: everyone while it is shown; the author and moderators while it is hidden.</summary>
    public bool IsVisibleTo(Guid viewer, bool moderator) => !Hidden || moderator || viewer == AuthorId;
}

/// <summary>Write model of one comment (its own stream).</summary>
public sealed class PostComment
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid PostId { get; set; }
    public Guid AuthorId { get; set; }

    public void Apply(PostCommented e)
    {
        Id = e.CommentId;
        PostId = e.PostId;
        AuthorId = e.AuthorId;
    }
}

/// <summary>Write model of one user's like of one post (stream <see cref="CommunityIds.Like"/>).</summary>
public sealed class PostLike
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public bool Liked { get; set; }

    public void Apply(PostLiked e) => Liked = true;

    public void Apply(PostUnliked e) => Liked = false;
}

/// <summary>Write model of one follow (stream <see cref="CommunityIds.Follow"/>).</summary>
public sealed class Follow
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public bool Following { get; set; }

    public void Apply(UserFollowed e) => Following = true;

    public void Apply(UserUnfollowed e) => Following = false;
}

/// <summary>State rules shared by the Community deciders. A post a user may not see is reported as not found.</summary>
public static class PostGuards
{
    public static void MustBeVisible([NotNull] Post? post, Guid viewer, bool moderator)
    {
        if (post is null || post.Id == Guid.Empty || !post.IsVisibleTo(viewer, moderator))
        {
            throw new NotFoundException("Post not found.");
        }
    }

    /// <summary>Visible and not deleted: what commenting, liking and reporting need.</summary>
    public static void MustBeLive([NotNull] Post? post, Guid viewer, bool moderator)
    {
        MustBeVisible(post, viewer, moderator);
        if (post.Deleted)
        {
            throw new ConflictException("The post was deleted.");
        }
    }
}
