using EventStore.Api.Auth;
using EventStore.Api.Files;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain;
using EventStore.Domain.Files;
using EventStore.Domain.Files.Avatars;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace EventStore.Api.GraphQL.Files;

/// <summary>
/// The Files module's GraphQL: `file(id)` (metadata, same visibility as the download) and `setAvatar(fileId)`. The bytes
/// travel over plain HTTP (`POST /files`, `GET /files/{id}`: docs/files.md); attaching to a message is
/// `postMessage(input: {attachmentIds})`.
/// </summary>
public static class FileFields
{
    public static void AddFileQueries(this ObjectGraphType query) =>
        query.Field<FileGraphType>("file")
            .Description("A file's metadata: yours, or attached to something you may see (a room's message, an avatar). Null otherwise.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await FindAsync(c, Paging.Uuid(c, "id")!.Value));

    public static void AddFileMutations(this ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<FileGraphType>>("setAvatar")
            .Description("Makes one of your uploaded images (PNG, JPEG, GIF, WebP) your profile picture; anyone logged in may read it.")
            .Argument<NonNullGraphType<IdGraphType>>("fileId")
            .ResolveAsync(async c =>
            {
                var fileId = Paging.Uuid(c, "fileId")!.Value;
                await c.RequestServices!.GetRequiredService<IMessageBus>().InvokeAsync(new SetAvatar(c.User.UserId()!.Value, fileId),
                    c.CancellationToken);
                return await FindAsync(c, fileId) ?? throw new NotFoundException("File not found.");
            });

    private static async Task<ReadableFile?> FindAsync(IResolveFieldContext c, Guid id) =>
        await c.RequestServices!.GetRequiredService<FileVisibility>().FindAsync(c.RequestServices!.GetRequiredService<IQuerySession>(), id,
            c.User.UserId()!.Value, c.User?.IsInRole(Roles.Admin) == true, c.CancellationToken);
}

public sealed class FileGraphType : ObjectGraphType<ReadableFile>
{
    public FileGraphType()
    {
        Name = "File";
        Description = "An uploaded file. Its bytes: GET /files/{id} with the same bearer token.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.File.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Description("The sanitized file name.")
            .Resolve(c => c.Source.Name).Personal(PersonalKind.Text, x => x.File.OwnerId);
        Field<NonNullGraphType<StringGraphType>>("contentType").Description("Sniffed from the bytes.").Resolve(c => c.Source.File.ContentType);
        Field<NonNullGraphType<LongGraphType>>("size").Description("Bytes of the file.").Resolve(c => c.Source.File.Size);
        Field<NonNullGraphType<StringGraphType>>("sha256").Description("Hex SHA-256 of the bytes; also the download's ETag.")
            .Resolve(c => c.Source.File.Sha256);
        Field<NonNullGraphType<IdGraphType>>("ownerId").Resolve(c => c.Source.File.OwnerId);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("uploadedAt").Resolve(c => c.Source.File.UploadedAt);
        Field<NonNullGraphType<StringGraphType>>("url").Description("Where to download it.").Resolve(c => $"/files/{c.Source.File.Id}");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FileAttachmentGraphType>>>>("attachments")
            .Description("What the file is attached to.").Resolve(c => c.Source.File.Attachments);
    }
}

public sealed class AttachmentKindGraphType : EnumerationGraphType<AttachmentKind>
{
    public AttachmentKindGraphType() => Name = "AttachmentKind";
}

public sealed class FileAttachmentGraphType : ObjectGraphType<FileAttachment>
{
    public FileAttachmentGraphType()
    {
        Name = "FileAttachment";
        Field<NonNullGraphType<AttachmentKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<IdGraphType>>("targetId").Description("The message, user (avatar) or post.").Resolve(c => c.Source.TargetId);
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class FileQueryRoot : IQueryFields
{
    public int Order => 70;

    public void AddTo(ObjectGraphType root) => root.AddFileQueries();
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class FileMutationRoot : IMutationFields
{
    public int Order => 60;

    public void AddTo(ObjectGraphType root) => root.AddFileMutations();
}
