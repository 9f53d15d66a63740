using FluentValidation;
using Marten;

namespace EventStore.Domain.Files.Discarding;

/// <summary>The sweeper found an upload unattached past the retention (docs/files.md).</summary>
public sealed record DiscardFile(Guid FileId, DateTimeOffset UploadedBefore)
{
    public sealed class Validator : AbstractValidator<DiscardFile>
    {
        public Validator() => RuleFor(x => x.FileId).NotEmpty();
    }
}

/// <summary>Whether the file was discarded now, and the object the caller deletes once this has committed.</summary>
public sealed record DiscardOutcome(bool Discarded, string StorageKey);

public static class DiscardFileHandler
{
    public static async Task<DiscardOutcome> Handle(DiscardFile command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<StoredFile>(command.FileId, ct);
        var discarded = Decide(stream.Aggregate, command.UploadedBefore, clock.GetUtcNow());
        if (discarded is null)
        {
            return new DiscardOutcome(false, stream.Aggregate?.StorageKey ?? "");
        }

        stream.AppendOne(discarded);
        return new DiscardOutcome(true, stream.Aggregate!.StorageKey);
    }

    /// <summary>Null when there is nothing to do: unknown, already discarded, attached meanwhile (it stays), or too young.</summary>
    public static FileDiscarded? Decide(StoredFile? file, DateTimeOffset uploadedBefore, DateTimeOffset now) =>
        file is null || file.Id == Guid.Empty || file.Discarded || file.Attachments > 0 || file.UploadedAt >= uploadedBefore
            ? null
            : new FileDiscarded(file.Id, "unattached", now);
}
