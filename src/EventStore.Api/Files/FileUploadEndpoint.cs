using System.Buffers;
using System.Security.Cryptography;
using EventStore.Api.Auth;
using EventStore.Domain.Files;
using EventStore.Domain.Files.Uploading;
using EventStore.Domain.Privacy;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Wolverine;

namespace EventStore.Api.Files;

/// <summary>
/// `POST /files` (multipart/form-data, the file in the part named `file`). Streamed end to end: the part is read in 64 KiB
/// pieces, hashed (SHA-256 of the plaintext), checked against the limit, encrypted and spooled to a local file; nothing
/// holds the whole file in memory. The type comes from the first bytes (<see cref="FileTypes"/>). Only a complete,
/// accepted upload reaches the store, and only a stored object gets its <see cref="FileUploaded"/> event.
/// </summary>
public sealed class FileUploadEndpoint(
    IOptions<FilesOptions> options, IFileStore store, IFileScanner scanner, FileRequestGate gate, PersonalDataProtector protector,
    IDocumentStore documents, TimeProvider clock, ILogger<FileUploadEndpoint> logger)
{
    /// <summary>Room for the multipart framing around the file (boundaries, part headers) in the request body limit.</summary>
    private const long FramingAllowance = 64 * 1024;

    private const int BufferSize = 64 * 1024;

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var refusal = await gate.CheckAsync(http, "uploadFile", writes: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var limit = options.Value.MaxUploadBytes;
        if (http.Request.ContentLength > limit + FramingAllowance)
        {
            return FileErrors.TooLarge(limit);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit + FramingAllowance;
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return FileErrors.Error(StatusCodes.Status415UnsupportedMediaType, "BAD_REQUEST",
                "Send the file as multipart/form-data, in a part named 'file'.");
        }

        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
            while (await BodyRead(() => reader.ReadNextSectionAsync(http.RequestAborted)) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Value == "file")
                {
                    var clientName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value
                        ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    return await ReceiveAsync(http, section.Body, clientName, limit);
                }
            }
        }
        catch (UnreadableBodyException e) when (!http.RequestAborted.IsCancellationRequested)
        {
            var status = e.Status;
            logger.LogDebug("Upload {TraceId}: unreadable body ({Status})", http.TraceIdentifier, status);
            return status == StatusCodes.Status413PayloadTooLarge
                ? FileErrors.TooLarge(limit)
                : FileErrors.Error(status, "BAD_REQUEST", "The multipart body could not be read.");
        }

        return FileErrors.Error(StatusCodes.Status400BadRequest, "BAD_REQUEST", "No part named 'file' in the request.");
    }

    private async Task<IResult> ReceiveAsync(HttpContext http, Stream body, string? clientName, long limit)
    {
        var ct = http.RequestAborted;
        var ownerId = http.User.UserId()!.Value;
        var fileId = Guid.CreateVersion7();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var spoolFolder = Path.Combine(options.Value.LocalPath, "tmp");
        Directory.CreateDirectory(spoolFolder);
        var spool = Path.Combine(spoolFolder, fileId.ToString("N") + ".part");
        try
        {
            var headLength = await ReadAtLeastAsync(body, buffer.AsMemory(0, BufferSize), FileTypes.HeadBytes, ct);
            if (headLength == 0)
            {
                return FileErrors.Error(StatusCodes.Status400BadRequest, "BAD_REQUEST", "The file is empty.");
            }

            var contentType = FileTypes.Sniff(buffer.AsSpan(0, Math.Min(headLength, FileTypes.HeadBytes)))!;
            var key = await FileKeyAsync(ownerId, fileId, ct);
            var text = contentType == FileTypes.Text ? new TextCheck() : null;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var output = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            using (var encryptor = new FileEncryptor(key, output))
            {
                var read = headLength;
                do
                {
                    size += read;
                    if (size > limit)
                    {
                        return FileErrors.TooLarge(limit); // stop reading here; the spool file goes in `finally`
                    }

                    var piece = buffer.AsMemory(0, read);
                    sha.AppendData(piece.Span);
                    text?.Feed(piece.Span);
                    if (text is { IsText: false })
                    {
                        return FileErrors.RefusedType();
                    }

                    await encryptor.WriteAsync(piece, ct);
                }
                while ((read = await BodyRead(() => body.ReadAsync(buffer.AsMemory(0, BufferSize), ct).AsTask())) > 0);

                await encryptor.CompleteAsync(ct);
            }

            if (text is not null && !text.Complete())
            {
                return FileErrors.RefusedType();
            }

            var sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
            var scan = new FileScanRequest(fileId, ownerId, contentType, size, sha256, () => new FileDecryptingStream(key, size,
                (offset, _) => Task.FromResult<Stream>(new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read) { Position = offset })));
            if (!await scanner.AcceptAsync(scan, ct))
            {
                logger.LogWarning("Upload {FileId} of {OwnerId} refused by the scanner", fileId, ownerId);
                return FileErrors.Error(StatusCodes.Status422UnprocessableEntity, "FILE_REFUSED", "The file was refused by the scanner.");
            }

            var storageKey = FileStorageKeys.For(ownerId, fileId);
            await store.PutAsync(storageKey, spool, ct);
            try
            {
                var bus = http.RequestServices.GetRequiredService<IMessageBus>();
                await bus.InvokeAsync(new RecordUpload(fileId, ownerId, sha256, size, contentType,
                    FileNames.Sanitize(clientName, contentType), storageKey), ct);
            }
            catch
            {
                await store.DeleteAsync(storageKey, CancellationToken.None); // no event, no object
                throw;
            }

            http.Response.Headers.Location = $"/files/{fileId}";
            return Results.Json(new UploadedFile(fileId, sha256, size, contentType), statusCode: StatusCodes.Status201Created);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(spool);
        }
    }

    /// <summary>The owner's file key; their personal-data key is created on first use, as for any sealed value.</summary>
    private async Task<byte[]> FileKeyAsync(Guid ownerId, Guid fileId, CancellationToken ct)
    {
        await using var session = documents.LightweightSession();
        var personal = await protector.KeyForWritingAsync(session, ownerId, clock.GetUtcNow(), ct);
        await session.SaveChangesAsync(ct);
        return protector.DeriveKey(personal, FileCipher.KeyPurpose, fileId)!;
    }

    /// <summary>
    /// A read of the request body: what goes wrong here is the client's (400, or Kestrel's own status such as 413), unlike a
    /// failure of the store or the database later on, which stays a fault of ours.
    /// </summary>
    private static async Task<T> BodyRead<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or InvalidDataException)
        {
            throw new UnreadableBodyException((e as BadHttpRequestException)?.StatusCode ?? StatusCodes.Status400BadRequest, e);
        }
    }

    private static async Task<int> ReadAtLeastAsync(Stream body, Memory<byte> buffer, int atLeast, CancellationToken ct)
    {
        var total = 0;
        int read;
        while (total < atLeast && (read = await BodyRead(() => body.ReadAsync(buffer[total..], ct).AsTask())) > 0)
        {
            total += read;
        }

        return total;
    }
}

/// <summary>The request body could not be read (Kestrel's limit, broken framing, a malformed multipart body).</summary>
internal sealed class UnreadableBodyException(int status, Exception inner) : Exception("Unreadable request body.", inner)
{
    public int Status { get; } = status;
}

/// <summary>The 201 body of an upload.</summary>
public sealed record UploadedFile(Guid Id, string Sha256, long Size, string ContentType);
