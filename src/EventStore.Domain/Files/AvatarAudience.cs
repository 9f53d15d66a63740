using Marten;

namespace EventStore.Domain.Files;

/// <summary>A profile picture is public to everyone logged in.</summary>
public sealed class AvatarAudience : IFileAudience
{
    public AttachmentKind Kind => AttachmentKind.Avatar;

    public Task<bool> CanSeeAsync(IQuerySession session, FileAttachment attachment, Guid viewerId, bool viewerIsAdmin, CancellationToken ct) =>
        Task.FromResult(true);
}
