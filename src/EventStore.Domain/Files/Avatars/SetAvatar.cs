using FluentValidation;
using Marten;

namespace EventStore.Domain.Files.Avatars;

/// <summary>The user makes one of their uploaded images their profile picture; anyone logged in may then read it.</summary>
public sealed record SetAvatar(Guid UserId, Guid FileId)
{
    public sealed class Validator : AbstractValidator<SetAvatar>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.FileId).NotEmpty();
        }
    }
}

public static class SetAvatarHandler
{
    public static async Task Handle(SetAvatar command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<StoredFile>(command.FileId, ct);
        stream.AppendOne(Decide(stream.Aggregate, command, clock.GetUtcNow()));
    }

    public static FileAttached Decide(StoredFile? file, SetAvatar command, DateTimeOffset now)
    {
        FileGuards.MustBeOwnedBy(file, command.UserId);
        if (!FileTypes.Images.Contains(file.ContentType))
        {
            throw new ConflictException("An avatar must be a PNG, JPEG, GIF or WebP image.");
        }

        return new FileAttached(file.Id, AttachmentKind.Avatar, command.UserId, null, command.UserId, now);
    }
}
