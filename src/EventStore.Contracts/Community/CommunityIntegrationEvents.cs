namespace EventStore.Contracts.Community;

// Outbound facts of the Community module (docs/integration.md, docs/community.md). Never the text: it is personal data
// sealed under the author's key, and a copy on a topic could not be erased.

/// <summary>
/// A post or a comment mentioned a user: one event per mentioned user, when the post or comment is written, and for
/// users an edit of a post newly mentions. <see cref="CommentId"/> is set for a comment. Key: the post id.
/// </summary>
[IntegrationEvent(IntegrationModules.Community, "user-mentioned", 1)]
public sealed record PostMentionedUser(Guid PostId, Guid? CommentId, Guid MentionedUserId, Guid AuthorId, DateTimeOffset MentionedAt)
    : IntegrationEvent;

/// <summary>A user started following another (not sent again while they keep following). Key: the followee's id.</summary>
[IntegrationEvent(IntegrationModules.Community, "user-followed", 1)]
public sealed record UserFollowed(Guid FollowerId, Guid FolloweeId, DateTimeOffset FollowedAt) : IntegrationEvent;
