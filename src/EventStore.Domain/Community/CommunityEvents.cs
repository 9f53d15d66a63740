using EventStore.Domain.Privacy;

namespace EventStore.Domain.Community;

// Domain events of the Community module (docs/community.md). Each post has its own stream (id PostId) holding the post,
// its edits, its deletion, reports and moderation; each comment has its own stream (id CommentId); a like is the stream
// of one (post, user) pair and a follow the stream of one (follower, followee) pair (CommunityIds), so liking and
// following are idempotent by construction and never contend with the post's author.
//
// Free text is personal data, sealed (docs/compliance.md): a post's and a comment's text, a report's reason (under the
// reporter's key) and a moderator's reason (under the moderator's key). Erasing that user makes it unreadable.

public enum PostDirection
{
    Long,
    Short,
}

/// <summary>How long a trade idea is meant to run: a coarse bucket rather than a number of days (docs/community.md).</summary>
public enum PostHorizon
{
    /// <summary>Within the trading day.</summary>
    Intraday,

    /// <summary>A few days to a few weeks.</summary>
    Swing,

    /// <summary>Weeks to months.</summary>
    Position,

    /// <summary>Months to years.</summary>
    LongTerm,
}

/// <param name="Text">Sealed under the author's key.</param>
/// <param name="Symbol">A listed instrument's symbol, upper-case, or null.</param>
/// <param name="AttachmentIds">Files of the author, each recorded as attached to the post by a FileAttached event in the same transaction.</param>
/// <param name="MentionedUserIds">Users named with <c>@username</c> who exist; unknown names are plain text.</param>
public sealed record PostCreated(
    Guid PostId, Guid AuthorId, SealedText Text, string? Symbol, PostDirection? Direction, PostHorizon? Horizon,
    IReadOnlyList<Guid> AttachmentIds, IReadOnlyList<Guid> MentionedUserIds, DateTimeOffset CreatedAt);

/// <summary>The author replaced the text; the previous text stays in the stream (edit history).</summary>
public sealed record PostEdited(Guid PostId, Guid EditedBy, SealedText Text, IReadOnlyList<Guid> MentionedUserIds, DateTimeOffset EditedAt);

/// <summary>A redaction: read models drop the text and its history; the fact stays in the log.</summary>
public sealed record PostDeleted(Guid PostId, Guid DeletedBy, DateTimeOffset DeletedAt);

/// <param name="Reason">Sealed under the reporter's key.</param>
public sealed record PostReported(Guid PostId, Guid ReporterId, SealedText Reason, DateTimeOffset ReportedAt);

/// <summary>Moderation: hidden from everyone but the author and moderators. <paramref name="Reason"/> sealed under the moderator's key.</summary>
public sealed record PostHidden(Guid PostId, Guid ModeratorId, SealedText Reason, DateTimeOffset HiddenAt);

/// <summary>Moderation: a hidden post is shown again.</summary>
public sealed record PostRestored(Guid PostId, Guid ModeratorId, SealedText Reason, DateTimeOffset RestoredAt);

/// <param name="Text">Sealed under the author's key.</param>
public sealed record PostCommented(
    Guid CommentId, Guid PostId, Guid AuthorId, SealedText Text, IReadOnlyList<Guid> MentionedUserIds, DateTimeOffset CommentedAt);

public sealed record PostLiked(Guid PostId, Guid UserId, DateTimeOffset LikedAt);

public sealed record PostUnliked(Guid PostId, Guid UserId, DateTimeOffset UnlikedAt);

public sealed record UserFollowed(Guid FollowerId, Guid FolloweeId, DateTimeOffset FollowedAt);

public sealed record UserUnfollowed(Guid FollowerId, Guid FolloweeId, DateTimeOffset UnfollowedAt);
