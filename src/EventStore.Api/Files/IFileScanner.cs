namespace EventStore.Api.Files;

/// <summary>What a scanner is shown of an upload before it is stored: its facts and a way to read its plaintext.</summary>
public sealed record FileScanRequest(Guid FileId, Guid OwnerId, string ContentType, long Size, string Sha256, Func<Stream> OpenPlaintext);

/// <summary>
/// The hook for a malware scanner (none is installable here): called on every upload after it was received and before
/// it is stored. A refusal answers 422 and stores nothing. The default accepts everything (<see cref="AcceptingScanner"/>).
/// </summary>
public interface IFileScanner
{
    Task<bool> AcceptAsync(FileScanRequest file, CancellationToken ct);
}

public sealed class AcceptingScanner : IFileScanner
{
    public Task<bool> AcceptAsync(FileScanRequest file, CancellationToken ct) => Task.FromResult(true);
}
