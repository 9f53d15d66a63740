using EventStore.Domain.Privacy;
using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Community;

public static class CommunityProjections
{
    public static StoreOptions ConfigureCommunityProjections(this StoreOptions options, PersonalDataProtector protector)
    {
        options.Projections.Add(new PostViewProjection(protector), ProjectionLifecycle.Async);
        options.Projections.Add(new PostCommentViewProjection(protector), ProjectionLifecycle.Async);
        options.Projections.Add<PostLikeViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<FollowViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<CommunityErasureProjection>(ProjectionLifecycle.Async);
        options.Schema.For<PostView>().Duplicate(x => x.AuthorId).Duplicate(x => x.CreatedAt).Duplicate(x => x.Symbol!);
        options.Schema.For<PostCommentView>().Duplicate(x => x.PostId).Duplicate(x => x.AuthorId);
        options.Schema.For<PostLikeView>().Duplicate(x => x.PostId);
        options.Schema.For<FollowView>().Duplicate(x => x.FollowerId).Duplicate(x => x.FolloweeId);
        return options;
    }
}
