using EventStore.Domain.Files;
using EventStore.Domain.Privacy;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Files;

/// <summary>
/// A file's metadata and where it is attached: what `file(id)` shows, what the download checks access with (aggregated
/// live from the stream there, so an upload or attachment is readable at once), and what the sweeper looks for
/// (unattached uploads older than the retention: the indexed duplicated columns).
/// </summary>
public sealed class FileView
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public string Sha256 { get; set; } = "";
    public long Size { get; set; }
    public string ContentType { get; set; } = "";

    /// <summary>Sealed under the owner's key: opens to null once the owner is erased.</summary>
    public SealedText? Name { get; set; }

    public string StorageKey { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
    public List<FileAttachment> Attachments { get; set; } = [];
    public int AttachmentCount { get; set; }
    public bool Discarded { get; set; }
    public DateTimeOffset? DiscardedAt { get; set; }

    /// <summary>Set once the object was moved to the archive storage class (FileArchived).</summary>
    public string? ArchiveStorageClass { get; set; }
}

public sealed class FileViewProjection : SingleStreamProjection<FileView, Guid>
{
    public static FileView Create(FileUploaded e) => new()
    {
        Id = e.FileId,
        OwnerId = e.OwnerId,
        Sha256 = e.Sha256,
        Size = e.Size,
        ContentType = e.ContentType,
        Name = e.Name,
        StorageKey = e.StorageKey,
        UploadedAt = e.UploadedAt,
    };

    public static void Apply(FileAttached e, FileView view)
    {
        view.Attachments.Add(new FileAttachment(e.Kind, e.TargetId, e.ContainerId));
        view.AttachmentCount = view.Attachments.Count;
    }

    public static void Apply(FileArchived e, FileView view) => view.ArchiveStorageClass = e.StorageClass;

    public static void Apply(FileDiscarded e, FileView view)
    {
        view.Discarded = true;
        view.DiscardedAt = e.DiscardedAt;
    }
}

public static class FileProjections
{
    public static StoreOptions ConfigureFileProjections(this StoreOptions options)
    {
        options.Projections.Add<FileViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<UserAvatarProjection>(ProjectionLifecycle.Async);
        options.Schema.For<FileView>().Duplicate(x => x.OwnerId).Duplicate(x => x.UploadedAt).Duplicate(x => x.AttachmentCount)
            .Duplicate(x => x.Discarded).Duplicate(x => x.ArchiveStorageClass);
        return options;
    }

    /// <summary>Attached, not discarded, not archived, uploaded before <paramref name="cutoff"/>: what the sweeper archives.</summary>
    public static async Task<IReadOnlyList<Guid>> ArchivableBeforeAsync(IQuerySession session, DateTimeOffset cutoff, int max,
        CancellationToken ct) =>
        await session.Query<FileView>()
            .Where(x => x.AttachmentCount > 0 && !x.Discarded && x.ArchiveStorageClass == null && x.UploadedAt < cutoff)
            .OrderBy(x => x.UploadedAt).Take(max).Select(x => x.Id).ToListAsync(ct);

    /// <summary>Unattached, not discarded, uploaded before <paramref name="cutoff"/>: what the sweeper discards.</summary>
    public static async Task<IReadOnlyList<Guid>> UnattachedBeforeAsync(IQuerySession session, DateTimeOffset cutoff, int max,
        CancellationToken ct) =>
        await session.Query<FileView>()
            .Where(x => x.AttachmentCount == 0 && !x.Discarded && x.UploadedAt < cutoff)
            .OrderBy(x => x.UploadedAt).Take(max).Select(x => x.Id).ToListAsync(ct);
}
