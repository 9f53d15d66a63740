using FluentValidation;
using FluentValidation.Results;

namespace EventStore.Domain.Community;

/// <summary>
/// Checks the files a post attaches: that they exist and belong to the author. The Files module provides the real
/// one; until it is registered, <see cref="NoPostAttachments"/> refuses any attachment.
/// </summary>
public interface IPostAttachments
{
    /// <exception cref="ValidationException">An attachment is unknown, not the author's, or attachments are unavailable.</exception>
    Task CheckAsync(Guid authorId, IReadOnlyList<Guid> attachmentIds, CancellationToken ct);
}

/// <summary>The default without a Files module: no attachments (VALIDATION on `attachmentIds`), everything else passes.</summary>
public sealed class NoPostAttachments : IPostAttachments
{
    public const string Unavailable = "attachments are not available";

    public Task CheckAsync(Guid authorId, IReadOnlyList<Guid> attachmentIds, CancellationToken ct) =>
        attachmentIds.Count == 0
            ? Task.CompletedTask
            : throw new ValidationException([new ValidationFailure("AttachmentIds", Unavailable)]);
}
