using FluentValidation;
using Marten;

namespace EventStore.Domain.Community;

/// <summary>
/// Follows (<paramref name="Follow"/> true) or unfollows a user; both idempotent. Nobody follows themselves.
/// </summary>
public sealed record FollowUser(Guid FollowerId, Guid FolloweeId, bool Follow)
{
    public sealed class Validator : AbstractValidator<FollowUser>
    {
        public Validator()
        {
            RuleFor(x => x.FollowerId).NotEmpty();
            RuleFor(x => x.FolloweeId).NotEmpty().NotEqual(x => x.FollowerId).WithMessage("You cannot follow yourself.");
        }
    }
}

public static class FollowUserHandler
{
    public static async Task Handle(FollowUser command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (command.Follow)
        {
            await CommunityRules.MustBeRegisteredAsync(session, command.FolloweeId, ct);
        }

        var stream = await session.Events.FetchForWriting<Follow>(CommunityIds.Follow(command.FollowerId, command.FolloweeId), ct);
        stream.AppendMany(Decide(stream.Aggregate, command, clock.GetUtcNow()));
    }

    public static IEnumerable<object> Decide(Follow? follow, FollowUser command, DateTimeOffset now)
    {
        var following = follow?.Following == true;
        if (command.Follow && !following)
        {
            yield return new UserFollowed(command.FollowerId, command.FolloweeId, now);
        }
        else if (!command.Follow && following)
        {
            yield return new UserUnfollowed(command.FollowerId, command.FolloweeId, now);
        }
    }
}
