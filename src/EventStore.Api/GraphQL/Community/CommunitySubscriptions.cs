using EventStore.Domain.Community;
using EventStore.Api.GraphQL.Audit;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.LiveFeed;
using EventStore.Projections.Community;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL.Community;

public static class CommunitySubscriptions
{
    public static void AddCommunitySubscriptions(this ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<FeedUpdateType>>("feedUpdates")
            .Description("New posts of the people you follow, live (whom you follow is checked at each post).")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var me = CommunityCaller.Me(c);
                var moderator = CommunityCaller.IsModerator(c);
                return LiveSubscription.Stream(c, EventLogFilter.OfEvents(typeof(PostCreated)), async (e, services, ct) =>
                {
                    var session = services.GetRequiredService<IQuerySession>();
                    if (!await CommunityQueries.FollowingAsync(session, me, e.DataAs<AuthorRef>().AuthorId, ct))
                    {
                        return null;
                    }

                    var post = await CommunityQueries.PostAsOfAsync(session, e.StreamId, e.Version, ct);
                    return post is not null && CommunityQueries.CanSee(post, me, moderator) ? new FeedUpdate(e.Sequence, post) : null;
                }, where: e => e.DataAs<AuthorRef>().AuthorId != me);
            });
    }

    private sealed record AuthorRef(Guid AuthorId);
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class CommunitySubscriptionRoot : ISubscriptionFields
{
    public int Order => 40;

    public void AddTo(ObjectGraphType root) => root.AddCommunitySubscriptions();
}
