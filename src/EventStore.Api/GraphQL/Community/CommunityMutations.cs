using EventStore.Domain;
using EventStore.Domain.Community;
using EventStore.Projections.Community;
using GraphQL;
using GraphQL.Types;
using Wolverine;
using static EventStore.Api.GraphQL.Community.CommunityCaller;
using static EventStore.Projections.Community.CommunityQueries;

namespace EventStore.Api.GraphQL.Community;

/// <summary>Community mutations: each builds a command at the edge (ids, actor, moderator flag) and hands it to Wolverine.</summary>
public static class CommunityMutations
{
    public static void AddCommunityMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PostPayloadType>>("createPost")
            .Description("Posts a trade idea or a note; your followers' feeds show it.")
            .Argument<NonNullGraphType<CreatePostInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CreatePostInput>("input");
                var id = Guid.CreateVersion7();
                await Bus(c).InvokeAsync<CreatedPost>(new CreatePost(id, Me(c), input.Text, input.Symbol, input.Direction, input.Horizon,
                    input.AttachmentIds ?? []), c.CancellationToken);
                return await PostPayloadAsync(c, id);
            });

        mutation.Field<NonNullGraphType<PostPayloadType>>("editPost")
            .Description("Replaces the text of your post; earlier texts are kept as its revisions.")
            .Argument<NonNullGraphType<EditPostInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<EditPostInput>("input");
                await Bus(c).InvokeAsync(new EditPost(input.PostId, Me(c), input.Text), c.CancellationToken);
                return await PostPayloadAsync(c, input.PostId);
            });

        mutation.Field<NonNullGraphType<PostPayloadType>>("deletePost")
            .Description("Deletes your post: its text and history are redacted.")
            .Argument<NonNullGraphType<PostInputType>>("input")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<PostInput>("input").PostId;
                await Bus(c).InvokeAsync(new DeletePost(id, Me(c)), c.CancellationToken);
                return await PostPayloadAsync(c, id);
            });

        mutation.Field<NonNullGraphType<CommentPayloadType>>("commentOnPost")
            .Description("Comments on a post you can see.")
            .Argument<NonNullGraphType<CommentOnPostInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CommentOnPostInput>("input");
                var id = Guid.CreateVersion7();
                await Bus(c).InvokeAsync<CommentedOnPost>(new CommentOnPost(id, input.PostId, Me(c), IsModerator(c), input.Text),
                    c.CancellationToken);
                return new CommentPayload(await CommentAsync(Session(c), id, c.CancellationToken)
                    ?? throw new NotFoundException("Comment not found."));
            });

        mutation.Field<NonNullGraphType<PostPayloadType>>("likePost")
            .Description("Likes a post; liking it again changes nothing.")
            .Argument<NonNullGraphType<PostInputType>>("input")
            .ResolveAsync(async c => await LikeAsync(c, like: true));

        mutation.Field<NonNullGraphType<PostPayloadType>>("unlikePost")
            .Description("Takes a like back; unliking a post you do not like changes nothing.")
            .Argument<NonNullGraphType<PostInputType>>("input")
            .ResolveAsync(async c => await LikeAsync(c, like: false));

        mutation.Field<NonNullGraphType<FollowPayloadType>>("follow")
            .Description("Follows a user: their new posts reach your feed. Following twice changes nothing; not yourself.")
            .Argument<NonNullGraphType<FollowInputType>>("input")
            .ResolveAsync(async c => await FollowAsync(c, follow: true));

        mutation.Field<NonNullGraphType<FollowPayloadType>>("unfollow")
            .Description("Stops following a user.")
            .Argument<NonNullGraphType<FollowInputType>>("input")
            .ResolveAsync(async c => await FollowAsync(c, follow: false));

        AddModeration(mutation);
    }

    private static void AddModeration(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<BooleanGraphType>>("reportPost")
            .Description("Reports a post to the moderators, with a reason. Returns true.")
            .Argument<NonNullGraphType<PostReasonInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<PostReasonInput>("input");
                await Bus(c).InvokeAsync(new ReportPost(input.PostId, Me(c), IsModerator(c), input.Reason), c.CancellationToken);
                return true;
            });

        mutation.Field<NonNullGraphType<PostPayloadType>>("hidePost")
            .Description("Moderators and admins: hides a post from everyone but its author and moderators.")
            .Argument<NonNullGraphType<PostReasonInputType>>("input")
            .ResolveAsync(async c => await ModerateAsync(c, hide: true));

        mutation.Field<NonNullGraphType<PostPayloadType>>("restorePost")
            .Description("Moderators and admins: shows a hidden post again.")
            .Argument<NonNullGraphType<PostReasonInputType>>("input")
            .ResolveAsync(async c => await ModerateAsync(c, hide: false));
    }

    private static async Task<PostPayload> LikeAsync(IResolveFieldContext c, bool like)
    {
        var id = c.GetArgument<PostInput>("input").PostId;
        await Bus(c).InvokeAsync(new LikePost(id, Me(c), IsModerator(c), like), c.CancellationToken);
        return await PostPayloadAsync(c, id);
    }

    private static async Task<FollowPayload> FollowAsync(IResolveFieldContext c, bool follow)
    {
        var userId = c.GetArgument<FollowInput>("input").UserId;
        await Bus(c).InvokeAsync(new FollowUser(Me(c), userId, follow), c.CancellationToken);
        return new FollowPayload(userId, await FollowingAsync(Session(c), Me(c), userId, c.CancellationToken));
    }

    private static async Task<PostPayload> ModerateAsync(IResolveFieldContext c, bool hide)
    {
        var input = c.GetArgument<PostReasonInput>("input");
        await Bus(c).InvokeAsync(new ModeratePost(input.PostId, Me(c), IsModerator(c), hide, input.Reason), c.CancellationToken);
        return await PostPayloadAsync(c, input.PostId);
    }

    private static IMessageBus Bus(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMessageBus>();

    private static async Task<PostPayload> PostPayloadAsync(IResolveFieldContext c, Guid id) =>
        new(await PostAsync(Session(c), id, Me(c), IsModerator(c), live: true, c.CancellationToken));
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class CommunityMutationRoot : IMutationFields
{
    public int Order => 70;

    public void AddTo(ObjectGraphType root) => root.AddCommunityMutations();
}
