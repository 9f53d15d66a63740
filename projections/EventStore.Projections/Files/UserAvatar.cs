using EventStore.Domain.Files;
using EventStore.Domain.Users;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace EventStore.Projections.Files;

/// <summary>A user's profile picture: the file their latest <c>setAvatar</c> attached. Gone once the user is erased.</summary>
public sealed class UserAvatar
{
    /// <summary>The user's id.</summary>
    public Guid Id { get; set; }

    public Guid FileId { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

/// <summary>
/// Async: every <see cref="FileAttached"/> of kind <see cref="AttachmentKind.Avatar"/> makes its file the user's avatar
/// (events in order, so the latest wins); <see cref="PersonalDataErased"/> removes the row. A pure function of the events.
/// </summary>
public sealed partial class UserAvatarProjection : EventProjection
{
    public UserAvatarProjection()
    {
        IncludeType<FileAttached>();
        IncludeType<PersonalDataErased>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case FileAttached { Kind: AttachmentKind.Avatar } attached:
                operations.Store(new UserAvatar { Id = attached.TargetId, FileId = attached.FileId, SetAt = attached.AttachedAt });
                break;
            case PersonalDataErased erased:
                operations.Delete<UserAvatar>(erased.UserId);
                break;
        }

        return ValueTask.CompletedTask;
    }
}
