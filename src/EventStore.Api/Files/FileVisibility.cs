using EventStore.Domain.Files;
using EventStore.Domain.Privacy;
using EventStore.Projections.Files;
using Marten;

namespace EventStore.Api.Files;

/// <summary>A file the viewer may read, with its decrypted name and the key to decrypt its bytes.</summary>
public sealed record ReadableFile(FileView File, string Name, byte[] Key);

/// <summary>
/// The one access check of the Files module, for the download and for `file(id)`: the owner, or whoever an
/// <see cref="IFileAudience"/> of one of the file's attachments lets see it. Everything else is "not found" (null):
/// unknown ids, discarded files, files of an erased owner (their key is gone), files the viewer may not see.
/// The file is aggregated live from its stream, so an upload or an attachment counts from the moment it commits.
/// </summary>
public sealed class FileVisibility(IEnumerable<IFileAudience> audiences, PersonalDataProtector protector)
{
    private readonly Dictionary<AttachmentKind, IFileAudience> _audiences = audiences.ToDictionary(a => a.Kind);

    public async Task<ReadableFile?> FindAsync(IQuerySession session, Guid fileId, Guid viewerId, bool viewerIsAdmin, CancellationToken ct)
    {
        var file = await session.Events.AggregateStreamAsync<FileView>(fileId, token: ct);
        if (file is null || file.Discarded || file.Id == Guid.Empty || !await MaySeeAsync(session, file, viewerId, viewerIsAdmin, ct))
        {
            return null;
        }

        var ownerKey = await session.LoadAsync<PersonalDataKey>(file.OwnerId, ct);
        var key = ownerKey is null ? null : protector.DeriveKey(ownerKey, FileCipher.KeyPurpose, file.Id);
        var name = ownerKey is null ? null : protector.OpenerFor([ownerKey]).Open(file.Name);
        return key is null || name is null ? null : new ReadableFile(file, name, key);
    }

    private async Task<bool> MaySeeAsync(IQuerySession session, FileView file, Guid viewerId, bool viewerIsAdmin, CancellationToken ct)
    {
        if (file.OwnerId == viewerId)
        {
            return true;
        }

        foreach (var attachment in file.Attachments)
        {
            if (_audiences.TryGetValue(attachment.Kind, out var audience)
                && await audience.CanSeeAsync(session, attachment, viewerId, viewerIsAdmin, ct))
            {
                return true;
            }
        }

        return false;
    }
}
