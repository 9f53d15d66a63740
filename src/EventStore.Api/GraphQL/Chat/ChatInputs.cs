using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Chat;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Chat;

// Inputs of the Chat mutations. Shape rules live in the commands' validators (VALIDATION with the field path).

public sealed class CreateRoomInput
{
    public string Name { get; set; } = "";
    public RoomVisibility Visibility { get; set; }
}

public sealed class CreateRoomInputType : InputObjectGraphType<CreateRoomInput>
{
    public CreateRoomInputType()
    {
        Name = "CreateRoomInput";
        Field(x => x.Name).SingleLine(ChatRules.RoomNameMaxLength);
        Field<NonNullGraphType<RoomVisibilityType>>("visibility").Description("PUBLIC or PRIVATE (direct rooms: openDirectRoom).");
    }
}

public sealed class RoomInput
{
    public Guid RoomId { get; set; }
}

public sealed class RoomInputType : InputObjectGraphType<RoomInput>
{
    public RoomInputType()
    {
        Name = "RoomInput";
        Field<NonNullGraphType<IdGraphType>>("roomId");
    }
}

public sealed class RoomMemberInput
{
    public Guid RoomId { get; set; }
    public Guid UserId { get; set; }
}

public sealed class RoomMemberInputType : InputObjectGraphType<RoomMemberInput>
{
    public RoomMemberInputType()
    {
        Name = "RoomMemberInput";
        Field<NonNullGraphType<IdGraphType>>("roomId");
        Field<NonNullGraphType<IdGraphType>>("userId");
    }
}

public sealed class PostMessageInput
{
    public Guid RoomId { get; set; }
    public string Text { get; set; } = "";
    public List<Guid>? AttachmentIds { get; set; }
}

public sealed class PostMessageInputType : InputObjectGraphType<PostMessageInput>
{
    public PostMessageInputType()
    {
        Name = "PostMessageInput";
        Field<NonNullGraphType<IdGraphType>>("roomId");
        Field(x => x.Text).MultiLine(MessageText.MaxLength).Description($"Up to {MessageText.MaxLength} characters; @username mentions a user, @assistant asks the assistant.");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("attachmentIds")
            .Description($"Files you uploaded (POST /files), at most {Domain.Files.Attaching.FileAttachments.MaxPerTarget}; room members may then download them.");
    }
}

public sealed class EditMessageInput
{
    public Guid MessageId { get; set; }
    public string Text { get; set; } = "";
}

public sealed class EditMessageInputType : InputObjectGraphType<EditMessageInput>
{
    public EditMessageInputType()
    {
        Name = "EditMessageInput";
        Field<NonNullGraphType<IdGraphType>>("messageId");
        Field(x => x.Text).MultiLine(MessageText.MaxLength);
    }
}

public sealed class MessageInput
{
    public Guid MessageId { get; set; }
}

public sealed class MessageInputType : InputObjectGraphType<MessageInput>
{
    public MessageInputType()
    {
        Name = "MessageInput";
        Field<NonNullGraphType<IdGraphType>>("messageId");
    }
}

public sealed class MarkReadInput
{
    public Guid RoomId { get; set; }
    public Guid MessageId { get; set; }
}

public sealed class MarkReadInputType : InputObjectGraphType<MarkReadInput>
{
    public MarkReadInputType()
    {
        Name = "MarkReadInput";
        Field<NonNullGraphType<IdGraphType>>("roomId");
        Field<NonNullGraphType<IdGraphType>>("messageId").Description("The newest message read.");
    }
}
