using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using EventStore.Api.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace EventStore.Api.Files;

/// <summary>
/// An S3-compatible bucket (`Files:Store=S3`). Every call goes through the one pipeline for this dependency
/// (<see cref="ResiliencePipelines.S3"/>, <see cref="S3Pipeline"/>). The SDK's checksum features are set to "when required" and puts are not chunk-encoded:
/// S3-compatible servers (s3rver, which the tests run) reject the newer flexible-checksum trailers. Puts send the spool
/// file by path, so a retried attempt reads it again from the start.
/// </summary>
public sealed class S3FileStore(IAmazonS3 client, IOptions<FilesOptions> options,
    [FromKeyedServices(ResiliencePipelines.S3)] ResiliencePipeline pipeline) : IFileStore
{
    private string Bucket => options.Value.S3.Bucket;

    public static AmazonS3Client CreateClient(S3FileStoreOptions o)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = o.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = o.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0, // retries are the pipeline's
        };
        return string.IsNullOrEmpty(o.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(o.AccessKey, o.SecretKey), config);
    }

    public async Task PutAsync(string key, string localPath, CancellationToken ct)
    {
        await pipeline.ExecuteAsync(async token => await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            FilePath = localPath,
            ContentType = "application/octet-stream", // the object is ciphertext whatever the file is
            UseChunkEncoding = false,
        }, token), ct);
        File.Delete(localPath);
    }

    public async Task<Stream> OpenReadAsync(string key, long offset, CancellationToken ct)
    {
        try
        {
            var response = await pipeline.ExecuteAsync(async token => await client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                ByteRange = offset > 0 ? new ByteRange($"bytes={offset}-") : null,
            }, token), ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException("No such object.", key, e);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "InvalidObjectState")
        {
            throw new FileArchivedException(key, e);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await pipeline.ExecuteAsync(async token => await client.GetObjectMetadataAsync(Bucket, key, token), ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the object again with the archive storage class. S3 would change a class with a copy onto itself, but
    /// AWSSDK.S3 4.x encodes the copy source in a way s3rver (the test server) cannot read, so the object is read back
    /// to a spool file and put again: the same bytes, the new class, disk (not memory) in between.
    /// </summary>
    public async Task<string?> ArchiveAsync(string key, CancellationToken ct)
    {
        var storageClass = options.Value.S3.ArchiveStorageClass;
        var folder = Path.Combine(options.Value.LocalPath, "tmp");
        Directory.CreateDirectory(folder);
        var spool = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".archive");
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                using var response = await client.GetObjectAsync(Bucket, key, token);
                await using var file = new FileStream(spool, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
                await response.ResponseStream.CopyToAsync(file, token);
            }, ct);
            await pipeline.ExecuteAsync(async token => await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                FilePath = spool,
                ContentType = "application/octet-stream",
                StorageClass = S3StorageClass.FindValue(storageClass),
                UseChunkEncoding = false,
            }, token), ct);
            return storageClass;
        }
        finally
        {
            File.Delete(spool);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct) =>
        pipeline.ExecuteAsync(async token => await client.DeleteObjectAsync(Bucket, key, token), ct).AsTask();
}

/// <summary>
/// What is worth another attempt at the S3 store, for its pipeline (<see cref="ResiliencePipelines.S3"/>): retry with
/// exponential backoff and jitter on a network error, a timeout, 429 or a 5xx. Any other answer (403, 404) is an answer:
/// another attempt would get the same one.
/// </summary>
public static class S3Pipeline
{
    public static TransientRetry Retry(S3FileStoreOptions options) => new(
        options.MaxRetries,
        TimeSpan.FromMilliseconds(200),
        null,
        outcome => outcome.Exception is { } e && IsTransient(e),
        outcome => outcome.Exception?.GetType().Name ?? "unknown");

    public static bool IsTransient(Exception e) => e switch
    {
        AmazonServiceException s => s.StatusCode is HttpStatusCode.TooManyRequests || (int)s.StatusCode >= 500 || s.StatusCode == 0,
        HttpRequestException or IOException or TimeoutException => true,
        TaskCanceledException t => t.InnerException is TimeoutException,
        _ => false,
    };
}
