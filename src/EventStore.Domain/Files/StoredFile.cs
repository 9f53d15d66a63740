using System.Diagnostics.CodeAnalysis;

namespace EventStore.Domain.Files;

/// <summary>Slim write model of a file: who owns it, its type, whether it is attached or discarded.</summary>
public sealed class StoredFile
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid OwnerId { get; set; }
    public string ContentType { get; set; } = "";
    public string StorageKey { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
    public int Attachments { get; set; }
    public bool Discarded { get; set; }
    public bool Archived { get; set; }

    public void Apply(FileUploaded e)
    {
        Id = e.FileId;
        OwnerId = e.OwnerId;
        ContentType = e.ContentType;
        StorageKey = e.StorageKey;
        UploadedAt = e.UploadedAt;
    }

    public void Apply(FileAttached e) => Attachments++;

    public void Apply(FileDiscarded e) => Discarded = true;

    public void Apply(FileArchived e) => Archived = true;
}

/// <summary>State rules shared by the Files deciders. A file that is not yours is reported as not found.</summary>
public static class FileGuards
{
    public static void MustBeOwnedBy([NotNull] StoredFile? file, Guid userId)
    {
        if (file is null || file.Id == Guid.Empty || file.Discarded || file.OwnerId != userId)
        {
            throw new NotFoundException("File not found.");
        }
    }
}
