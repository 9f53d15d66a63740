using EventStore.Api.Auth;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Projections.Community;
using EventStore.Api.GraphQL.Loading;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL.Community;

public sealed class PostGraphType : ObjectGraphType<PostView>
{
    public PostGraphType()
    {
        Name = "Post";
        Description = "A trade idea or a note. Hidden posts are shown only to their author and to moderators.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("authorId").Resolve(c => c.Source.AuthorId);
        Field<StringGraphType>("author").Description("The author's username.")
            .Personal(PersonalKind.Identity, x => x.AuthorId)
            .Resolve(c => CommunityLoaders.Username(c, c.Source.AuthorId));
        Field(x => x.Text, nullable: true).Description("Null once deleted (redacted) or once the author's personal data is erased.")
            .Personal(PersonalKind.Text, x => x.AuthorId);
        Field(x => x.Symbol, nullable: true);
        Field<PostDirectionType>("direction").Resolve(c => c.Source.Direction);
        Field<PostHorizonType>("horizon").Resolve(c => c.Source.Horizon);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("attachmentIds").Resolve(c => c.Source.AttachmentIds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("mentions")
            .Description("Users mentioned with @username.").Resolve(c => c.Source.MentionedUserIds);
        Field(x => x.CreatedAt);
        Field(x => x.EditedAt, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PostRevisionType>>>>("revisions")
            .Description("Earlier texts, oldest first; empty once deleted.").Personal(PersonalKind.Text, x => x.AuthorId)
            .Resolve(c => c.Source.Revisions);
        Field(x => x.Deleted);
        Field(x => x.DeletedAt, nullable: true);
        Field(x => x.Hidden).Description("Hidden by a moderator (only its author and moderators see it).");
        Field<StringGraphType>("moderationReason")
            .Description("The reason of the last hide or restore: for the author and moderators, null for others.")
            .Personal(PersonalKind.Text, x => x.ModeratedBy)
            .Resolve(c => CommunityCaller.IsModerator(c) || c.User.UserId() == c.Source.AuthorId ? c.Source.ModerationReason : null);
        Field<IntGraphType>("reportCount").Description("Moderators only; null for others.")
            .Resolve(c => CommunityCaller.IsModerator(c) ? c.Source.ReportCount : null);
        Field<NonNullGraphType<IntGraphType>>("likeCount")
            .Resolve(c => c.Batch<Guid, int>("community.likeCount", c.Source.Id, s => (ids, ct) => CommunityQueries.LikeCountsAsync(CommunityLoaders.Session(s), ids, ct)));
        Field<NonNullGraphType<BooleanGraphType>>("likedByMe")
            .Resolve(c => c.User.UserId() is { } me
                ? c.Batch<Guid, bool>("community.likedByMe", c.Source.Id, s => (ids, ct) => CommunityQueries.LikedManyAsync(CommunityLoaders.Session(s), me, ids, ct))
                : false);
        Field<NonNullGraphType<IntGraphType>>("commentCount")
            .Resolve(c => c.Batch<Guid, int>("community.commentCount", c.Source.Id, s => (ids, ct) => CommunityQueries.CommentCountsAsync(CommunityLoaders.Session(s), ids, ct)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PostCommentGraphType>>>>("comments")
            .Description($"Oldest first, the first {CommunityQueries.MaxComments}.")
            .Resolve(c => c.Batch<Guid, IReadOnlyList<PostCommentView>>("community.comments", c.Source.Id, s => (ids, ct) => CommunityQueries.CommentsOfAsync(CommunityLoaders.Session(s), ids, ct)));
        Field<NonNullGraphType<LongGraphType>>("version").Resolve(c => c.Source.Version);
    }
}

public sealed class PostRevisionType : ObjectGraphType<PostRevision>
{
    public PostRevisionType()
    {
        Name = "PostRevision";
        Field(x => x.Text).Personal(PersonalKind.Text, c => DataSubject.Of(PersonalData.Ancestor<PostView>(c)?.AuthorId));
        Field(x => x.WrittenAt);
    }
}

public sealed class PostCommentGraphType : ObjectGraphType<PostCommentView>
{
    public PostCommentGraphType()
    {
        Name = "PostComment";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("postId").Resolve(c => c.Source.PostId);
        Field<NonNullGraphType<IdGraphType>>("authorId").Resolve(c => c.Source.AuthorId);
        Field<StringGraphType>("author").Personal(PersonalKind.Identity, x => x.AuthorId)
            .Resolve(c => CommunityLoaders.Username(c, c.Source.AuthorId));
        Field(x => x.Text, nullable: true).Description("Null once the author's personal data is erased.")
            .Personal(PersonalKind.Text, x => x.AuthorId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("mentions").Resolve(c => c.Source.MentionedUserIds);
        Field(x => x.CommentedAt);
    }
}

public sealed record PostPayload(PostView Post);

public sealed class PostPayloadType : ObjectGraphType<PostPayload>
{
    public PostPayloadType()
    {
        Name = "PostPayload";
        Field<NonNullGraphType<PostGraphType>>("post").Resolve(c => c.Source.Post);
    }
}

public sealed record CommentPayload(PostCommentView Comment);

public sealed class CommentPayloadType : ObjectGraphType<CommentPayload>
{
    public CommentPayloadType()
    {
        Name = "CommentPayload";
        Field<NonNullGraphType<PostCommentGraphType>>("comment").Resolve(c => c.Source.Comment);
    }
}

public sealed record FollowPayload(Guid UserId, bool Following);

public sealed class FollowPayloadType : ObjectGraphType<FollowPayload>
{
    public FollowPayloadType()
    {
        Name = "FollowPayload";
        Field<NonNullGraphType<IdGraphType>>("userId").Description("The user followed or unfollowed.").Resolve(c => c.Source.UserId);
        Field(x => x.Following).Description("Whether you follow them now.");
    }
}

/// <summary>A new post from someone you follow, with the post as it was created.</summary>
public sealed record FeedUpdate(long Sequence, PostView Post);

public sealed class FeedUpdateType : ObjectGraphType<FeedUpdate>
{
    public FeedUpdateType()
    {
        Name = "FeedUpdate";
        Field<NonNullGraphType<StringGraphType>>("sequence").Description("Cursor: pass as `after` to resume.")
            .Resolve(c => c.Source.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<PostGraphType>>("post").Resolve(c => c.Source.Post);
    }
}

/// <summary>Batch loaders shared by the Community types.</summary>
public static class CommunityLoaders
{
    public static IDataLoaderResult<string?> Username(IResolveFieldContext c, Guid userId) =>
        c.Batch<Guid, string>("community.username", userId, s => (ids, ct) => CommunityQueries.UsernamesAsync(Session(s), ids, ct));

    public static IQuerySession Session(IServiceProvider services) => services.GetRequiredService<IQuerySession>();
}
