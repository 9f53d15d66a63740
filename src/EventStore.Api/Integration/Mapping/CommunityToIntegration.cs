using EventStore.Domain.Community;
using JasperFx.Events;
using Marten;
using Out = EventStore.Contracts.Community;

namespace EventStore.Api.Integration;

/// <summary>
/// Community's public facts: mentions (keyed by the post, so one post's mentions keep their order) and new follows
/// (keyed by the followee). Never the text (docs/integration.md).
/// </summary>
public static class CommunityToIntegration
{
    public static IntegrationEventMap MapCommunity(this IntegrationEventMap map) => map
        .MapMany<PostCreated>((e, _, _) => Task.FromResult<IReadOnlyList<IntegrationMessage>>(
            [.. Mentions(e.Data.PostId, null, e.Data.AuthorId, e.Data.MentionedUserIds, e.Data.CreatedAt)]))
        .MapMany<PostEdited>(async (e, session, ct) =>
        {
            var edited = e.Data;
            // A hidden post tells nobody new: a mention must not lead to a post the mentioned user may not read.
            var post = await session.Events.AggregateStreamAsync<Post>(edited.PostId, version: e.Version, token: ct);
            if (post is null || post.Hidden)
            {
                return [];
            }

            var earlier = new HashSet<Guid>();
            foreach (var before in await session.Events.FetchStreamAsync(e.StreamId, e.Version - 1, token: ct))
            {
                earlier.UnionWith(before.Data switch
                {
                    PostCreated p => p.MentionedUserIds,
                    PostEdited x => x.MentionedUserIds,
                    _ => [],
                });
            }

            return [.. Mentions(edited.PostId, null, edited.EditedBy, edited.MentionedUserIds.Where(id => !earlier.Contains(id)),
                edited.EditedAt)];
        })
        .MapMany<PostCommented>((e, _, _) => Task.FromResult<IReadOnlyList<IntegrationMessage>>(
            [.. Mentions(e.Data.PostId, e.Data.CommentId, e.Data.AuthorId, e.Data.MentionedUserIds, e.Data.CommentedAt)]))
        .MapMany<UserFollowed>((e, _, _) => Task.FromResult<IReadOnlyList<IntegrationMessage>>(
            [new IntegrationMessage(new Out.UserFollowed(e.Data.FollowerId, e.Data.FolloweeId, e.Data.FollowedAt), e.Data.FolloweeId)]));

    /// <summary>One message per mentioned user, each with its own identity (the part).</summary>
    private static IEnumerable<IntegrationMessage> Mentions(Guid postId, Guid? commentId, Guid authorId, IEnumerable<Guid> mentioned,
        DateTimeOffset at) =>
        mentioned.Distinct().Where(userId => userId != authorId)
            .Select(userId => new IntegrationMessage(new Out.PostMentionedUser(postId, commentId, userId, authorId, at), postId,
                $"mention:{userId:N}"));
}
