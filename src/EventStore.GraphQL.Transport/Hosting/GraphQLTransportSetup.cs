using EventStore.GraphQL.Transport.Http;
using EventStore.GraphQL.Transport.Limits;
using EventStore.GraphQL.Transport.Requests;
using EventStore.GraphQL.Transport.WebSockets;
using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.Hosting;

public static class GraphQLTransportSetup
{
    /// <summary>
    /// GraphQL over HTTP and graphql-transport-ws for <typeparamref name="TSchema"/>, the limits (section `GraphQL`), the
    /// document cache and CORS (`Cors:AllowedOrigins`). What the host does not register itself before this call gets a
    /// default: <see cref="TransportErrorFactory"/>, <see cref="NoOperationHooks"/>, <see cref="UpgradeRequestAuthenticator"/>.
    /// Add <see cref="AddTransportLimits"/> to the host's GraphQL.NET builder, `app.UseWebSockets()`, and map the
    /// endpoints (<see cref="MapGraphQLTransport{TSchema}"/>, or by hand as the Api does to serve its IDE on the same path).
    /// </summary>
    public static IServiceCollection AddGraphQLTransport<TSchema>(this IServiceCollection services, IConfiguration configuration,
        Action<GraphQLTransportOptions>? configure = null)
        where TSchema : ISchema
    {
        var transport = new GraphQLTransportOptions();
        configure?.Invoke(transport);
        services.AddSingleton(transport);
        services.AddOptions<GraphQLOptions>().BindConfiguration(GraphQLOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GraphQLWebSocketOptions>().BindConfiguration(GraphQLOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ITransportErrorFactory, TransportErrorFactory>();
        services.TryAddSingleton<IGraphQLOperationHooks, NoOperationHooks>();
        services.TryAddSingleton<IGraphQLConnectionAuthenticator, UpgradeRequestAuthenticator>();
        services.AddSingleton<RateLimitedFieldMiddleware>();
        services.AddOperationLimits(configuration);
        services.AddSingleton<GraphQLRequestReader>();
        services.AddSingleton<ParsedDocumentCache>();
        services.AddSingleton<GraphQLHttpEndpoint<TSchema>>();
        services.AddSingleton<GraphQLWebSocketEndpoint<TSchema>>();
        services.AddSingleton<SubscriptionQuota>();
        services.AddGraphQLCors(configuration);
        return services;
    }

    /// <summary>
    /// The limits inside GraphQL.NET's execution: the depth and complexity caps (ordinary or introspection) in the
    /// complexity analyzer, the <see cref="OperationGate"/> before validation, and the middleware that refuses the root
    /// fields the rate limiter did not let through (add it before the host's own field middleware).
    /// </summary>
    public static IGraphQLBuilder AddTransportLimits(this IGraphQLBuilder graphql) => graphql
        .AddComplexityAnalyzer((complexity, sp) =>
        {
            // The ordinary caps, or the introspection caps for an introspection-only operation.
            IntrospectionBound.Configure(complexity, sp.GetRequiredService<IOptions<GraphQLOptions>>().Value);
        })
        .ConfigureExecution<OperationGate>()
        .UseMiddleware<RateLimitedFieldMiddleware>();

    /// <summary>One endpoint on <paramref name="pattern"/>: WebSocket upgrades speak graphql-transport-ws, the rest is GraphQL over HTTP.</summary>
    public static IEndpointConventionBuilder MapGraphQLTransport<TSchema>(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
        where TSchema : ISchema =>
        endpoints.Map(pattern, context => context.WebSockets.IsWebSocketRequest
            ? context.RequestServices.GetRequiredService<GraphQLWebSocketEndpoint<TSchema>>().HandleAsync(context)
            : context.RequestServices.GetRequiredService<GraphQLHttpEndpoint<TSchema>>().HandleAsync(context));
}
