using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Files.Uploading;

/// <summary>
/// The upload endpoint stored the encrypted bytes under <paramref name="StorageKey"/>; this records the fact. Ids, hash,
/// size and sniffed type are all computed at the edge (the endpoint) from the bytes themselves.
/// </summary>
public sealed record RecordUpload(
    Guid FileId, Guid OwnerId, string Sha256, long Size, string ContentType,
    [SingleLine(FileNames.MaxLength)] string Name, [SingleLine(200)] string StorageKey)
{
    public sealed class Validator : AbstractValidator<RecordUpload>
    {
        public Validator()
        {
            RuleFor(x => x.FileId).NotEmpty();
            RuleFor(x => x.OwnerId).NotEmpty();
            RuleFor(x => x.Sha256).Matches("^[0-9a-f]{64}$");
            RuleFor(x => x.Size).GreaterThan(0);
            RuleFor(x => x.ContentType).Must(t => t == FileTypes.Text || FileTypes.Images.Contains(t) || t == FileTypes.Pdf)
                .WithMessage("Not an allowed file type.");
            RuleFor(x => x.Name).NotEmpty().MaximumLength(FileNames.MaxLength);
            RuleFor(x => x.StorageKey).NotEmpty();
        }
    }
}

public static class RecordUploadHandler
{
    public static async Task Handle(RecordUpload command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var personal = await protector.SealerAsync(session, command.OwnerId, now, ct);
        session.Events.StartStream<StoredFile>(command.FileId, Decide(command, personal, now));
    }

    public static FileUploaded Decide(RecordUpload command, PersonalDataSealer personal, DateTimeOffset now) =>
        new(command.FileId, command.OwnerId, command.Sha256, command.Size, command.ContentType, personal.Seal(command.Name),
            command.StorageKey, now);
}
