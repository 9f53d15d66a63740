namespace EventStore.Api.GraphQL.Transport.WebSockets;

public static class GraphQLWebSocketSetup
{
    /// <summary>
    /// The graphql-transport-ws transport on `/graphql`. The host adds `app.UseWebSockets()` and hands WebSocket
    /// requests of the `/graphql` route to <see cref="GraphQLWebSocketEndpoint.HandleAsync"/>.
    /// </summary>
    public static IServiceCollection AddGraphQLWebSockets(this IServiceCollection services)
    {
        services.AddOptions<GraphQLWebSocketOptions>().BindConfiguration(GraphQLOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConnectionInitAuthenticator>();
        services.AddSingleton<GraphQLWebSocketEndpoint>();
        services.AddSingleton<SubscriptionQuota>();
        return services;
    }
}
