using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Community;

public static class CommunityModule
{
    /// <summary>
    /// Every event type of the module. Async projections over the module's streams filter on this list, so their
    /// shards never load, deserialize or slice another module's events, while every event of their own streams
    /// still reaches them (a view's version stays the stream's version).
    /// </summary>
    public static readonly Type[] EventTypes =
    [
        typeof(PostCreated), typeof(PostEdited), typeof(PostDeleted), typeof(PostReported), typeof(PostHidden),
        typeof(PostRestored), typeof(PostCommented), typeof(PostLiked), typeof(PostUnliked), typeof(UserFollowed),
        typeof(UserUnfollowed),
    ];

    public static StoreOptions ConfigureCommunity(this StoreOptions options)
    {
        options.Events.AddEventTypes(EventTypes);
        return options;
    }

    /// <summary>The attachment check is a seam: the Files module registers its own before this (TryAdd).</summary>
    public static IServiceCollection AddCommunity(this IServiceCollection services)
    {
        return services;
    }
}
