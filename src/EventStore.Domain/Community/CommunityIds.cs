using EventStore.Domain.Trading;

namespace EventStore.Domain.Community;

/// <summary>Stream ids derived from natural keys: one like per (post, user), one follow per (follower, followee).</summary>
public static class CommunityIds
{
    public static Guid Like(Guid postId, Guid userId) =>
        TradingIds.NameBased("post-like:" + postId.ToString("N") + ":" + userId.ToString("N"));

    public static Guid Follow(Guid followerId, Guid followeeId) =>
        TradingIds.NameBased("follow:" + followerId.ToString("N") + ":" + followeeId.ToString("N"));
}
