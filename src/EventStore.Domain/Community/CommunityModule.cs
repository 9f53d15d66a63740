using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Community;

public static class CommunityModule
{
    public static StoreOptions ConfigureCommunity(this StoreOptions options)
    {
        options.Events.AddEventTypes([
            typeof(PostCreated), typeof(PostEdited), typeof(PostDeleted), typeof(PostReported), typeof(PostHidden),
            typeof(PostRestored), typeof(PostCommented), typeof(PostLiked), typeof(PostUnliked), typeof(UserFollowed),
            typeof(UserUnfollowed),
        ]);
        return options;
    }

    /// <summary>The attachment check is a seam: the Files module registers its own before this (TryAdd).</summary>
    public static IServiceCollection AddCommunity(this IServiceCollection services)
    {
        return services;
    }
}
