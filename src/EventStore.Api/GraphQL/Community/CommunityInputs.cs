using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Community;
using EventStore.Domain.Trading.Instruments;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Community;

// Inputs of the Community mutations. Shape rules live in the commands' validators (VALIDATION with the field path).

public sealed class PostDirectionType : EnumerationGraphType<PostDirection>
{
    public PostDirectionType()
    {
        Name = "PostDirection";
        Description = "LONG or SHORT: which way the trade idea points.";
    }
}

public sealed class PostHorizonType : EnumerationGraphType<PostHorizon>
{
    public PostHorizonType()
    {
        Name = "PostHorizon";
        Description = "How long the idea is meant to run: INTRADAY (the day), SWING (days to weeks), POSITION (weeks to months), LONG_TERM (months to years).";
    }
}

public sealed class CreatePostInput
{
    public string Text { get; set; } = "";
    public string? Symbol { get; set; }
    public PostDirection? Direction { get; set; }
    public PostHorizon? Horizon { get; set; }
    public List<Guid>? AttachmentIds { get; set; }
}

public sealed class CreatePostInputType : InputObjectGraphType<CreatePostInput>
{
    public CreatePostInputType()
    {
        Name = "CreatePostInput";
        Field(x => x.Text).MultiLine(CommunityRules.PostTextMaxLength)
            .Description($"Up to {CommunityRules.PostTextMaxLength} characters, several lines; @username mentions a user.");
        Field(x => x.Symbol, nullable: true).SingleLine(InstrumentRules.SymbolMaxLength).Description("A listed instrument's symbol.");
        Field<PostDirectionType>("direction");
        Field<PostHorizonType>("horizon");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("attachmentIds")
            .Description($"Ids of files you uploaded, at most {CommunityRules.MaxAttachments}.");
    }
}

public sealed class EditPostInput
{
    public Guid PostId { get; set; }
    public string Text { get; set; } = "";
}

public sealed class EditPostInputType : InputObjectGraphType<EditPostInput>
{
    public EditPostInputType()
    {
        Name = "EditPostInput";
        Field<NonNullGraphType<IdGraphType>>("postId");
        Field(x => x.Text).MultiLine(CommunityRules.PostTextMaxLength);
    }
}

public sealed class PostInput
{
    public Guid PostId { get; set; }
}

public sealed class PostInputType : InputObjectGraphType<PostInput>
{
    public PostInputType()
    {
        Name = "PostInput";
        Field<NonNullGraphType<IdGraphType>>("postId");
    }
}

public sealed class CommentOnPostInput
{
    public Guid PostId { get; set; }
    public string Text { get; set; } = "";
}

public sealed class CommentOnPostInputType : InputObjectGraphType<CommentOnPostInput>
{
    public CommentOnPostInputType()
    {
        Name = "CommentOnPostInput";
        Field<NonNullGraphType<IdGraphType>>("postId");
        Field(x => x.Text).MultiLine(CommunityRules.CommentTextMaxLength)
            .Description($"Up to {CommunityRules.CommentTextMaxLength} characters; @username mentions a user.");
    }
}

public sealed class PostReasonInput
{
    public Guid PostId { get; set; }
    public string Reason { get; set; } = "";
}

public sealed class PostReasonInputType : InputObjectGraphType<PostReasonInput>
{
    public PostReasonInputType()
    {
        Name = "PostReasonInput";
        Field<NonNullGraphType<IdGraphType>>("postId");
        Field(x => x.Reason).SingleLine(CommunityRules.ReasonMaxLength);
    }
}

public sealed class FollowInput
{
    public Guid UserId { get; set; }
}

public sealed class FollowInputType : InputObjectGraphType<FollowInput>
{
    public FollowInputType()
    {
        Name = "FollowInput";
        Field<NonNullGraphType<IdGraphType>>("userId");
    }
}
