using EventStore.Contracts.Community;
using Marten;
using Wolverine;

namespace EventStore.Domain.Notifications.Notifying;

/// <summary>A mention in a post or comment notifies the mentioned user; a new follower notifies the followee.</summary>
public static class NotifyOnCommunityHandler
{
    public static Task<OutgoingMessages> Handle(PostMentionedUser e, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        e.MentionedUserId == e.AuthorId
            ? Notify.NobodyAsync(session, e, clock, ct)
            : Notify.UserAsync(session, e, e.MentionedUserId, NotificationKind.Mentioned, "You were mentioned",
                e.CommentId is null ? "Someone mentioned you in a post." : "Someone mentioned you in a comment.", e.PostId, clock, ct);

    public static Task<OutgoingMessages> Handle(UserFollowed e, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Notify.UserAsync(session, e, e.FolloweeId, NotificationKind.Followed, "You have a new follower",
            "Someone started following you.", e.FollowerId, clock, ct);
}
