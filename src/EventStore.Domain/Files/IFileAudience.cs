using Marten;

namespace EventStore.Domain.Files;

/// <summary>One place a file is attached to, as the file's stream records it.</summary>
public sealed record FileAttachment(AttachmentKind Kind, Guid TargetId, Guid? ContainerId);

/// <summary>
/// Who, besides its owner, may read a file attached to something of one <see cref="Kind"/>: whoever may see that thing.
/// One implementation per kind, registered in the container; a kind without one is readable by its owner only. The
/// Community module registers the one for <see cref="AttachmentKind.Post"/> (a post's readers).
/// </summary>
public interface IFileAudience
{
    AttachmentKind Kind { get; }

    Task<bool> CanSeeAsync(IQuerySession session, FileAttachment attachment, Guid viewerId, bool viewerIsAdmin, CancellationToken ct);
}
