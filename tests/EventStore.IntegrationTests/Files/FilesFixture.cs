using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using EventStore.Api.Files;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Files;

/// <summary>
/// The app with the local file store in a folder of its own, a 1 MiB upload limit (so "over the limit" is cheap), the
/// sweeper's timer off (tests call <see cref="FileSweeper.SweepAsync"/> with the time they choose) and a scanner that
/// refuses any file containing <see cref="RefusingScanner.Marker"/>.
/// </summary>
public class LocalFilesFixture : AppFixture
{
    public const long MaxUploadBytes = 1024 * 1024;
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ArchiveAfter = TimeSpan.FromDays(1);

    public string FilesFolder { get; } = Path.Combine(Path.GetTempPath(), "es-files-" + Guid.NewGuid().ToString("N"));

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Files:LocalPath", FilesFolder);
        builder.UseSetting("Files:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Files:SweepInterval", "00:00:00");
        builder.UseSetting("Files:UnattachedRetention", Retention.ToString());
        builder.UseSetting("Files:ArchiveAfter", ArchiveAfter.ToString());
        builder.ConfigureTestServices(services => services.AddSingleton<IFileScanner, RefusingScanner>());
        ConfigureStore(builder);
    }

    protected virtual void ConfigureStore(IWebHostBuilder builder)
    {
    }

    /// <summary>Objects in the store now (every test counts before and after: objects outlive the data reset).</summary>
    public virtual Task<int> ObjectCountAsync()
    {
        var objects = Path.Combine(FilesFolder, "objects");
        return Task.FromResult(Directory.Exists(objects) ? Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Count() : 0);
    }

    /// <summary>The object's storage class; null for a store without classes (local disk).</summary>
    public virtual Task<string?> StorageClassAsync(string key) => Task.FromResult<string?>(null);

    /// <summary>Spooled uploads left behind (there must never be any once a request has been answered).</summary>
    public int SpoolCount()
    {
        var spool = Path.Combine(FilesFolder, "tmp");
        return Directory.Exists(spool) ? Directory.EnumerateFiles(spool).Count() : 0;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(FilesFolder))
        {
            Directory.Delete(FilesFolder, recursive: true);
        }
    }
}

/// <summary>
/// The same app with the S3 store against a real S3-compatible server: npm s3rver on a loopback port, started here
/// (tests/s3rver/server.mjs; eng/ci/install-s3rver.sh installs it) and stopped with the fixture.
/// </summary>
public sealed class S3FilesFixture : LocalFilesFixture
{
    public const string Bucket = "eventstore-files";
    private Process? _server;
    private string _serviceUrl = "";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "es-s3rver-" + Guid.NewGuid().ToString("N"));

    public override async Task InitializeAsync()
    {
        var folder = Path.Combine(Api.SchemaSnapshotTests.RepositoryRoot(), "tests", "s3rver");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "s3rver")))
        {
            throw new InvalidOperationException("s3rver is not installed: run eng/ci/install-s3rver.sh.");
        }

        Directory.CreateDirectory(_data);
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardInput = true };
        start.ArgumentList.Add("server.mjs");
        start.ArgumentList.Add(_data);
        start.ArgumentList.Add(Bucket);
        _server = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _server.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("s3rver did not start.");
        _serviceUrl = "http://127.0.0.1:" + line.Split(' ')[1];
        await base.InitializeAsync();
    }

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Files:Store", "S3");
        builder.UseSetting("Files:S3:ServiceUrl", _serviceUrl);
        builder.UseSetting("Files:S3:Bucket", Bucket);
        builder.UseSetting("Files:S3:AccessKey", "S3RVER");
        builder.UseSetting("Files:S3:SecretKey", "S3RVER");
    }

    public override async Task<int> ObjectCountAsync()
    {
        using var client = S3FileStore.CreateClient(new S3FileStoreOptions { ServiceUrl = _serviceUrl, AccessKey = "S3RVER", SecretKey = "S3RVER" });
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        return listed.S3Objects?.Count ?? 0;
    }

    public override async Task<string?> StorageClassAsync(string key)
    {
        using var client = S3FileStore.CreateClient(new S3FileStoreOptions { ServiceUrl = _serviceUrl, AccessKey = "S3RVER", SecretKey = "S3RVER" });
        var metadata = await client.GetObjectMetadataAsync(Bucket, key);
        return metadata.StorageClass?.Value ?? "STANDARD";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is { HasExited: false })
        {
            _server.StandardInput.Close();
            if (!_server.WaitForExit(5000))
            {
                _server.Kill();
            }
        }

        _server?.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}

/// <summary>A scanner that refuses content containing <see cref="Marker"/>, read through the plaintext it is given.</summary>
public sealed class RefusingScanner : IFileScanner
{
    public const string Marker = "EICAR-LIKE-TEST-MARKER";

    public async Task<bool> AcceptAsync(FileScanRequest file, CancellationToken ct)
    {
        await using var plaintext = file.OpenPlaintext();
        using var reader = new StreamReader(plaintext);
        var text = await reader.ReadToEndAsync(ct);
        return !text.Contains(Marker, StringComparison.Ordinal);
    }
}

[CollectionDefinition(Name)]
public sealed class LocalFilesCollection : ICollectionFixture<LocalFilesFixture>
{
    public const string Name = "files-local";
}

[CollectionDefinition(Name)]
public sealed class S3FilesCollection : ICollectionFixture<S3FilesFixture>
{
    public const string Name = "files-s3";
}
