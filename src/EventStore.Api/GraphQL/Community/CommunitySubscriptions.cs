using System.Runtime.CompilerServices;
using System.Text.Json;
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
    private static readonly string[] PostEvents = ["post_created"];
    private static readonly JsonSerializerOptions Stored = new() { PropertyNameCaseInsensitive = true };

    public static void AddCommunitySubscriptions(this ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<FeedUpdateType>>("feedUpdates")
            .Description("New posts of the people you follow, live (whom you follow is checked at each post).")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var me = CommunityCaller.Me(c);
                var moderator = CommunityCaller.IsModerator(c);
                var services = c.RequestServices!;
                var filter = new AuditFilter(null, null, PostEvents, null, null, null, null);
                var streams = services.GetRequiredService<LiveStreams>();
                var after = SubscriptionType.After(c);
                var pace = services.GetRequiredService<DeliveryPace>();
                return new AsyncStreamObservable<FeedUpdate>(ct => Updates(
                    streams.StreamAsync(filter, e => e.Type == "post_created" && AuthorOf(e) != me, after, pace, ct),
                    services, me, moderator, ct));
            });
    }

    private static Guid AuthorOf(AuditEvent e) => JsonSerializer.Deserialize<AuthorRef>(e.Data, Stored)?.AuthorId ?? Guid.Empty;

    private static async IAsyncEnumerable<FeedUpdate> Updates(IAsyncEnumerable<AuditEvent> source, IServiceProvider services, Guid me,
        bool moderator, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in source.WithCancellation(ct))
        {
            using var scope = services.CreateScope();
            var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
            if (!await CommunityQueries.FollowingAsync(session, me, AuthorOf(e), ct))
            {
                continue;
            }

            var post = await CommunityQueries.PostAsOfAsync(session, e.StreamId, e.Version, ct);
            if (post is not null && CommunityQueries.CanSee(post, me, moderator))
            {
                yield return new FeedUpdate(e.Sequence, post);
            }
        }
    }

    private sealed record AuthorRef(Guid AuthorId);
}
