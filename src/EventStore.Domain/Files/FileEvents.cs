using EventStore.Domain.Privacy;

namespace EventStore.Domain.Files;

// Domain events of the Files module. Each file has its own stream (id FileId): its upload, what it was attached to, and
// its discarding. The bytes live in a file store (local disk or S3-compatible), encrypted under a key derived from the
// owner's personal-data key (docs/files.md); the events hold facts only. The file's name is the owner's text, so it is
// sealed under the owner's key like every other piece of personal data (docs/compliance.md).

/// <summary>What a file may be attached to. Each kind has an <see cref="IFileAudience"/> that says who may read it.</summary>
public enum AttachmentKind
{
    /// <summary>A chat message: <c>TargetId</c> is the message, <c>ContainerId</c> its room.</summary>
    Message,

    /// <summary>A user's profile picture: <c>TargetId</c> is the user.</summary>
    Avatar,

    /// <summary>A community post: <c>TargetId</c> is the post (its audience is the Community module's).</summary>
    Post,
}

/// <param name="Sha256">Lowercase hex SHA-256 of the plaintext bytes.</param>
/// <param name="ContentType">Sniffed from the bytes (<see cref="FileTypes"/>), never the client's claim.</param>
/// <param name="Name">The sanitized file name (<see cref="FileNames"/>), sealed under the owner's key.</param>
/// <param name="StorageKey">Where the encrypted object lives in the file store.</param>
public sealed record FileUploaded(
    Guid FileId, Guid OwnerId, string Sha256, long Size, string ContentType, SealedText Name, string StorageKey,
    DateTimeOffset UploadedAt);

/// <param name="ContainerId">What decides the audience when the target alone does not (a message's room); else null.</param>
public sealed record FileAttached(
    Guid FileId, AttachmentKind Kind, Guid TargetId, Guid? ContainerId, Guid AttachedBy, DateTimeOffset AttachedAt);

/// <summary>
/// An old attached file's object was moved to the archive storage class (S3 only). Reading it may then need a restore
/// outside the app first (docs/files.md).
/// </summary>
public sealed record FileArchived(Guid FileId, string StorageClass, DateTimeOffset ArchivedAt);

/// <summary>An upload left unattached past the retention was removed (the object deleted after this commit).</summary>
public sealed record FileDiscarded(Guid FileId, string Reason, DateTimeOffset DiscardedAt);
