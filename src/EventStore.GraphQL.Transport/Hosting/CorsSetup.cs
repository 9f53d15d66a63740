namespace EventStore.GraphQL.Transport.Hosting;

public static class CorsSetup
{
    /// <summary>CORS for GraphQL over HTTP from the origins of `Cors:AllowedOrigins` (none: same origin only).</summary>
    public static IServiceCollection AddGraphQLCors(this IServiceCollection services, IConfiguration configuration)
    {
        var allowed = new AllowedOrigins(configuration);
        services.AddSingleton(allowed);
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (allowed.Origins.Count > 0)
            {
                policy.WithOrigins([.. allowed.Origins]).AllowAnyHeader().WithMethods("GET", "POST")
                    .WithExposedHeaders("Retry-After");
            }
        }));
        return services;
    }
}
