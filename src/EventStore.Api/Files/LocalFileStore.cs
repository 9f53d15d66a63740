using Microsoft.Extensions.Options;

namespace EventStore.Api.Files;

/// <summary>The default store: a folder under the app's data folder (`Files:LocalPath`). Nothing to set up.</summary>
public sealed class LocalFileStore(IOptions<FilesOptions> options) : IFileStore
{
    private readonly string _root = Path.GetFullPath(Path.Combine(options.Value.LocalPath, "objects"));

    public Task PutAsync(string key, string localPath, CancellationToken ct)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(localPath, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken ct)
    {
        var stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 16 * 1024,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Position = offset;
        return Task.FromResult<Stream>(stream);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(key)));

    public Task<string?> ArchiveAsync(string key, CancellationToken ct) => Task.FromResult<string?>(null);

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        // Keys are ours, but a store never serves anything outside its folder whatever it is asked.
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("Storage key outside the store.", nameof(key));
    }
}
