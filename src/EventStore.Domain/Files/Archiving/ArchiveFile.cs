using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Files.Archiving;

/// <summary>
/// The sweeper moved an old attached file's object to the archive storage class (`Files:S3:ArchiveStorageClass`);
/// this records it. The object was copied first: a failure to record leaves it archived, and the next sweep records it.
/// </summary>
public sealed record ArchiveFile(Guid FileId, DateTimeOffset UploadedBefore, [SingleLine(64)] string StorageClass)
{
    public sealed class Validator : AbstractValidator<ArchiveFile>
    {
        public Validator()
        {
            RuleFor(x => x.FileId).NotEmpty();
            RuleFor(x => x.StorageClass).NotEmpty().MaximumLength(64);
        }
    }
}

public static class ArchiveFileHandler
{
    public static async Task Handle(ArchiveFile command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<StoredFile>(command.FileId, ct);
        if (Decide(stream.Aggregate, command, clock.GetUtcNow()) is { } archived)
        {
            stream.AppendOne(archived);
        }
    }

    /// <summary>Null when there is nothing to record: unknown, discarded, unattached, already archived, or too young.</summary>
    public static FileArchived? Decide(StoredFile? file, ArchiveFile command, DateTimeOffset now) =>
        file is null || file.Id == Guid.Empty || file.Discarded || file.Attachments == 0 || file.Archived
        || file.UploadedAt >= command.UploadedBefore
            ? null
            : new FileArchived(file.Id, command.StorageClass, now);
}
