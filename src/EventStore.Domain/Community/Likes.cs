using FluentValidation;
using Marten;

namespace EventStore.Domain.Community;

/// <summary>Likes (<paramref name="Like"/> true) or unlikes a post; both are idempotent: a second time appends nothing.</summary>
public sealed record LikePost(Guid PostId, Guid UserId, bool UserIsModerator, bool Like)
{
    public sealed class Validator : AbstractValidator<LikePost>
    {
        public Validator()
        {
            RuleFor(x => x.PostId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
        }
    }
}

public static class LikePostHandler
{
    public static async Task Handle(LikePost command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var post = await session.Events.FetchLatest<Post>(command.PostId, ct);
        var stream = await session.Events.FetchForWriting<PostLike>(CommunityIds.Like(command.PostId, command.UserId), ct);
        stream.AppendMany(Decide(post, stream.Aggregate, command, clock.GetUtcNow()));
    }

    public static IEnumerable<object> Decide(Post? post, PostLike? like, LikePost command, DateTimeOffset now)
    {
        var liked = like?.Liked == true;
        if (command.Like)
        {
            PostGuards.MustBeLive(post, command.UserId, command.UserIsModerator);
            if (!liked)
            {
                yield return new PostLiked(command.PostId, command.UserId, now);
            }
        }
        else
        {
            // Unliking needs only that the post exists for the user: a like of a deleted post can still be taken back.
            PostGuards.MustBeVisible(post, command.UserId, command.UserIsModerator);
            if (liked)
            {
                yield return new PostUnliked(command.PostId, command.UserId, now);
            }
        }
    }
}
