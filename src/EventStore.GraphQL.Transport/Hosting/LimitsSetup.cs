using Microsoft.Extensions.DependencyInjection.Extensions;
using EventStore.GraphQL.Transport.Limits;
using EventStore.GraphQL.Transport.Limits.RateLimiting;
using StackExchange.Redis;

namespace EventStore.GraphQL.Transport.Hosting;

public static class LimitsSetup
{
    public const string RedisConnectionName = "Redis";

    /// <summary>
    /// The rate limiter and its counters: in Redis when `ConnectionStrings:Redis` is set (the limits hold for the
    /// cluster), in this process otherwise. The gate itself is added to GraphQL.NET's execution by
    /// <see cref="GraphQLTransportSetup.AddTransportLimits"/>.
    /// </summary>
    public static IServiceCollection AddOperationLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<LimitMetrics>();
        services.AddSingleton<OperationRateLimiter>();
        services.AddSingleton<IOperationRateLimiter>(sp => sp.GetRequiredService<OperationRateLimiter>());
        services.AddSingleton<InProcessRateCounters>();
        services.TryAddSingleton(TimeProvider.System);
        var redis = configuration.GetConnectionString(RedisConnectionName);
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IRateCounters>(sp => sp.GetRequiredService<InProcessRateCounters>());
            return services;
        }

        // abortConnect=false: the app starts while Redis is still coming up and reconnects by itself.
        var redisOptions = ConfigurationOptions.Parse(redis);
        redisOptions.AbortOnConnectFail = false;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
        services.AddSingleton<IRateCounters, RedisRateCounters>();
        return services;
    }
}
