using EventStore.Api.Auth;
using EventStore.Domain.Users;
using Marten;
using Microsoft.Net.Http.Headers;

namespace EventStore.Api.Files;

/// <summary>
/// `GET /files/{id}`: the plaintext, decrypted chunk by chunk while it is sent, with `ETag` (the SHA-256), range requests
/// (ASP.NET's range processing seeks the decrypting stream), `Content-Disposition: attachment` with the sanitized name and
/// `X-Content-Type-Options: nosniff`. Anyone who may not read the file (<see cref="FileVisibility"/>) gets 404, exactly as
/// for an id that does not exist.
/// </summary>
public sealed class FileDownloadEndpoint(FileRequestGate gate, FileVisibility access, IFileStore store, IDocumentStore documents,
    ILogger<FileDownloadEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, string id)
    {
        var refusal = await gate.CheckAsync(http, "downloadFile", writes: false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!Guid.TryParse(id, out var fileId))
        {
            return FileErrors.NotFound();
        }

        ReadableFile? readable;
        await using (var session = documents.QuerySession())
        {
            readable = await access.FindAsync(session, fileId, http.User.UserId()!.Value, http.User.IsInRole(Roles.Admin), http.RequestAborted);
        }

        if (readable is null)
        {
            return FileErrors.NotFound();
        }

        var file = readable.File;
        Stream first;
        try
        {
            first = await store.OpenReadAsync(file.StorageKey, FileCipher.HeaderSize, http.RequestAborted);
        }
        catch (FileArchivedException)
        {
            return FileErrors.Error(StatusCodes.Status503ServiceUnavailable, "FILE_ARCHIVED",
                "The file is archived; it can be read once an operator has restored it.");
        }
        catch (FileNotFoundException)
        {
            logger.LogWarning("File {FileId} has an event but no object at {StorageKey}", file.Id, file.StorageKey);
            return FileErrors.NotFound();
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-cache";
        // Opened directly in a browser, a file is a document with no rights at all (a PDF's or text's scripts stay inert).
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var content = new FileDecryptingStream(readable.Key, file.Size,
            (offset, ct) => store.OpenReadAsync(file.StorageKey, offset, ct), first);
        return Results.File(content, file.ContentType, readable.Name, file.UploadedAt,
            new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true);
    }
}
