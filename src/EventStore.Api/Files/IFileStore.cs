namespace EventStore.Api.Files;

/// <summary>
/// Where encrypted file objects live. Objects are written once (from a finished, already encrypted spool file), read from
/// any offset (downloads seek for range requests), and deleted by the sweeper. Keys are ours (<see cref="FileStorageKeys"/>).
/// </summary>
public interface IFileStore
{
    /// <summary>Stores the finished spool file at <paramref name="localPath"/> under <paramref name="key"/> and removes the spool file.</summary>
    Task PutAsync(string key, string localPath, CancellationToken ct);

    /// <summary>The object from byte <paramref name="offset"/> on; <see cref="FileNotFoundException"/> when there is none.</summary>
    Task<Stream> OpenReadAsync(string key, long offset, CancellationToken ct);

    Task<bool> ExistsAsync(string key, CancellationToken ct);

    /// <summary>
    /// Moves the object to the archive storage class; the storage class used, or null when this store has none (local
    /// disk) and nothing was done.
    /// </summary>
    Task<string?> ArchiveAsync(string key, CancellationToken ct);

    /// <summary>Deletes the object; no error when it is already gone.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}

/// <summary>The object is in an archive storage class and must be restored (outside the app) before it can be read.</summary>
public sealed class FileArchivedException(string key, Exception inner) : IOException($"Object {key} is archived.", inner);

public static class FileStorageKeys
{
    /// <summary>`files/&lt;owner&gt;/&lt;file&gt;`: by id, never by anything the client chose.</summary>
    public static string For(Guid ownerId, Guid fileId) => $"files/{ownerId:N}/{fileId:N}";
}
