using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.Ide;
using EventStore.Api.GraphQL.Transport;
using EventStore.GraphQL.Transport.Hosting;
using EventStore.GraphQL.Transport.Http;
using EventStore.GraphQL.Transport.WebSockets;
using GraphQL;

namespace EventStore.Api.GraphQL;

public static class GraphQLSetup
{
    public static IServiceCollection AddEventStoreGraphQL(this IServiceCollection services, IConfiguration configuration)
    {
        if (!Domain.Validation.TextHygiene.NormalizationAvailable)
        {
            // Globalization-invariant mode (or no ICU) turns string.Normalize into a silent no-op; inputs are stored in NFC.
            throw new InvalidOperationException("Unicode normalization (NFC) is not available: run with ICU (libicu) and without "
                + "InvariantGlobalization / DOTNET_SYSTEM_GLOBALIZATION_INVARIANT (docs/operations.md).");
        }

        services.AddApiGraphQLTransport<EventStoreSchema>(configuration);
        InputCoercion.RegisterUuidConversions();
        services.AddSingleton<ErrorMappingMiddleware>();
        services.AddSingleton<PersonalFields.PersonalDataMiddleware>();
        services.AddGraphQL(graphql => graphql
            .AddSchema<EventStoreSchema>()
            .AddGraphTypes(typeof(EventStoreSchema).Assembly)
            // Reading is GraphQLRequestReader's job (depth 64, no duplicate keys); this depth is for writing results,
            // which nest a level per selection and per list: GraphQL:MaxDepth (at most 50) allows more than 64.
            .AddSystemTextJson(json => json.MaxDepth = 256)
            .AddErrorInfoProvider<ApiErrorInfoProvider>()
            .AddValidationRule<AuthorizationRule>()
            .AddValidationRule<InputHygieneRule>()
            .AddTransportLimits() // depth and complexity caps, OperationGate, and the rate-limited fields' middleware first
            .UseMiddleware<PersonalFields.PersonalDataMiddleware>()
            .UseMiddleware<ErrorMappingMiddleware>());
        // Replaces the built-in scalar (same name, same SDL): DateTimeOffset inputs arrive in UTC (InputCoercion.cs).
        services.AddSingleton<global::GraphQL.Types.DateTimeOffsetGraphType, UtcDateTimeOffsetGraphType>();
        services.AddSingleton<LiveFeed.EventLog>();
        services.AddSingleton<LiveFeed.EventFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed.EventFeed>());
        services.AddSingleton<LiveFeed.LiveStreams>();
        services.AddScoped<LiveFeed.DeliveryPace>();
        services.AddScoped<Loading.RequestLoaders>(); // batch loaders: one set per HTTP request / WebSocket operation
        return services;
    }

    public static IEndpointRouteBuilder MapEventStoreGraphQL(this IEndpointRouteBuilder endpoints)
    {
        // One endpoint: WebSocket upgrades speak graphql-transport-ws, a browser asking for HTML gets the GraphiQL page,
        // everything else is GraphQL over HTTP.
        endpoints.Map("/graphql", context => context.WebSockets.IsWebSocketRequest
            ? context.RequestServices.GetRequiredService<GraphQLWebSocketEndpoint<EventStoreSchema>>().HandleAsync(context)
            : GraphiQLPage.IsPageRequest(context.Request) ? GraphiQLPage.WriteAsync(context)
            : context.RequestServices.GetRequiredService<GraphQLHttpEndpoint<EventStoreSchema>>().HandleAsync(context));
        endpoints.MapGraphiQL();
        return endpoints;
    }
}
