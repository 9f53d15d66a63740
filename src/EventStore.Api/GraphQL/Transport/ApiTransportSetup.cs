using EventStore.Api.Auth;
using EventStore.GraphQL.Transport;
using EventStore.GraphQL.Transport.Hosting;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Transport;

public static class ApiTransportSetup
{
    /// <summary>
    /// The transport project (src/EventStore.GraphQL.Transport) for the Api's schema, with the Api's identity,
    /// error shapes and telemetry, and the Api's rate-limit rules: `login` and `register` are auth attempts (counted per
    /// username and per address, with backoff), `createPost` and `commentOnPost` spend the posting allowance.
    /// </summary>
    public static IServiceCollection AddApiGraphQLTransport<TSchema>(this IServiceCollection services, IConfiguration configuration)
        where TSchema : ISchema
    {
        services.AddSingleton<ITransportErrorFactory, ApiTransportErrors>();
        services.AddSingleton<IGraphQLOperationHooks, ApiOperationHooks>();
        services.AddSingleton<ConnectionInitAuthenticator>();
        services.AddSingleton<IGraphQLConnectionAuthenticator>(sp => sp.GetRequiredService<ConnectionInitAuthenticator>());
        return services.AddGraphQLTransport<TSchema>(configuration, transport =>
        {
            transport.AuthFields = new HashSet<string>(StringComparer.Ordinal) { "login", "register" };
            transport.PostingFields = new HashSet<string>(StringComparer.Ordinal) { "createPost", "commentOnPost" };
            transport.NormalizeUsername = Domain.Users.UserAccount.Normalize;
            transport.UserKey = user => user.UserId()?.ToString("N");
            transport.MeterName = Telemetry.EventStoreTelemetry.Name;
        });
    }
}
