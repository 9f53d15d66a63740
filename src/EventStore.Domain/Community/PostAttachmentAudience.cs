using EventStore.Domain.Files;
using Marten;

namespace EventStore.Domain.Community;

/// <summary>
/// A file attached to a post is readable by whoever may read the post: everyone signed in while it is shown; only its
/// author and admins once it is hidden (moderators who are not admins see hidden posts, not their files: the audience
/// is told only whether the viewer is an admin); nobody but its owner once the post is deleted.
/// </summary>
public sealed class PostAttachmentAudience : IFileAudience
{
    public AttachmentKind Kind => AttachmentKind.Post;

    public async Task<bool> CanSeeAsync(IQuerySession session, FileAttachment attachment, Guid viewerId, bool viewerIsAdmin,
        CancellationToken ct)
    {
        var post = await session.Events.AggregateStreamAsync<Post>(attachment.TargetId, token: ct);
        return post is { } p && p.Id != Guid.Empty && !p.Deleted && (!p.Hidden || p.AuthorId == viewerId || viewerIsAdmin);
    }
}
