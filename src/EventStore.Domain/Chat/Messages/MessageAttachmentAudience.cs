using EventStore.Domain.Files;
using Marten;

namespace EventStore.Domain.Chat.Messages;

/// <summary>
/// A file attached to a message is read by whoever reads the message's room: its members, anyone logged in for a public
/// room, admins (who read every room). The room is aggregated live, so leaving a private room ends access at once.
/// </summary>
public sealed class MessageAttachmentAudience : IFileAudience
{
    public AttachmentKind Kind => AttachmentKind.Message;

    public async Task<bool> CanSeeAsync(IQuerySession session, FileAttachment attachment, Guid viewerId, bool viewerIsAdmin,
        CancellationToken ct)
    {
        if (attachment.ContainerId is not { } roomId)
        {
            return false;
        }

        var room = await session.Events.AggregateStreamAsync<Room>(roomId, token: ct);
        return room is { } r && r.Id != Guid.Empty
            && (viewerIsAdmin || r.IsMember(viewerId) || r.Visibility == RoomVisibility.Public);
    }
}
