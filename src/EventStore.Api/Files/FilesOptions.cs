using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.Files;

/// <summary>`Files:*` settings (README, docs/files.md). Validated at start-up: a wrong setting stops the app naming it.</summary>
public sealed class FilesOptions : IValidatableObject
{
    public const string SectionName = "Files";

    /// <summary>`Local` (default: a folder under the data folder, nothing to set up) or `S3` (any S3-compatible service).</summary>
    public FileStoreKind Store { get; set; } = FileStoreKind.Local;

    /// <summary>Where the local store keeps objects, and where every upload is spooled (encrypted) before it is stored.</summary>
    public string LocalPath { get; set; } = Path.Combine(".data", "files");

    /// <summary>Largest upload, in bytes of the file itself (default 25 MB). Larger uploads get 413 and store nothing.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>How long an upload may stay unattached before the sweeper discards it.</summary>
    public TimeSpan UnattachedRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the sweeper looks; zero turns it off.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Attached files uploaded longer ago than this are moved to `Files:S3:ArchiveStorageClass` by the sweeper (S3 store
    /// only; the local store has no storage classes). Zero (the default) turns archiving off.
    /// </summary>
    public TimeSpan ArchiveAfter { get; set; } = TimeSpan.Zero;

    public S3FileStoreOptions S3 { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UnattachedRetention <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Files:UnattachedRetention must be positive.", [nameof(UnattachedRetention)]);
        }

        if (ArchiveAfter < TimeSpan.Zero)
        {
            yield return new ValidationResult("Files:ArchiveAfter must not be negative.", [nameof(ArchiveAfter)]);
        }

        if (SweepInterval < TimeSpan.Zero)
        {
            yield return new ValidationResult("Files:SweepInterval must not be negative.", [nameof(SweepInterval)]);
        }

        if (Store == FileStoreKind.S3)
        {
            if (!Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out _))
            {
                yield return new ValidationResult("Files:S3:ServiceUrl must be an absolute URL when Files:Store is S3.", ["S3.ServiceUrl"]);
            }

            if (string.IsNullOrWhiteSpace(S3.Bucket))
            {
                yield return new ValidationResult("Files:S3:Bucket is required when Files:Store is S3.", ["S3.Bucket"]);
            }
        }
    }
}

public enum FileStoreKind
{
    Local,
    S3,
}

public sealed class S3FileStoreOptions
{
    /// <summary>The service endpoint (path-style addressing is used, as S3-compatible servers expect).</summary>
    public string ServiceUrl { get; set; } = "";

    public string Bucket { get; set; } = "";

    /// <summary>Signing region; most S3-compatible servers accept any.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Access key id; leave empty to use the SDK's default credential chain (environment, profile, instance role).</summary>
    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>Retries of a failed call (network error, timeout, 5xx, 429) with exponential backoff.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The storage class archived objects are moved to (`GLACIER`, `DEEP_ARCHIVE`, `STANDARD_IA`, ...).</summary>
    [RegularExpression("^[A-Z_]{1,64}$", ErrorMessage = "Files:S3:ArchiveStorageClass must be an S3 storage class name such as GLACIER.")]
    public string ArchiveStorageClass { get; set; } = "GLACIER";
}
