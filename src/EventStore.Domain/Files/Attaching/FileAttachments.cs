using Marten;

namespace EventStore.Domain.Files.Attaching;

/// <summary>
/// Attaching files to something another module owns (a message, a post): called from that module's handler, in its
/// transaction, so the message and its attachments commit together or not at all.
/// </summary>
public static class FileAttachments
{
    public const int MaxPerTarget = 10;

    /// <summary>
    /// Appends <see cref="FileAttached"/> to each file's stream. Only files <paramref name="actorId"/> owns and that are
    /// not discarded: any other id is reported as not found (someone else's file id gives nothing away).
    /// </summary>
    public static async Task AttachAsync(IDocumentSession session, IReadOnlyList<Guid> fileIds, AttachmentKind kind,
        Guid targetId, Guid? containerId, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        if (fileIds.Count > MaxPerTarget)
        {
            throw new ConflictException($"At most {MaxPerTarget} files can be attached.");
        }

        foreach (var fileId in fileIds.Distinct())
        {
            var stream = await session.Events.FetchForWriting<StoredFile>(fileId, ct);
            FileGuards.MustBeOwnedBy(stream.Aggregate, actorId);
            stream.AppendOne(new FileAttached(fileId, kind, targetId, containerId, actorId, now));
        }
    }
}
