using EventStore.Api.Resilience;
using EventStore.Domain.MarketData;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.MarketData;

/// <summary>
/// Market data: options (validated at start), the configured <see cref="IMarketDataProvider"/>, the pump and the sink.
/// The Trading module registers <see cref="IQuotedSymbols"/> and handles <see cref="RecordQuote"/> and
/// <see cref="MarkQuotesStale"/>.
/// </summary>
public static class MarketDataSetup
{
    public static IServiceCollection AddMarketData(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<MarketDataOptions>().Bind(configuration.GetSection(MarketDataOptions.SectionName)).ValidateOnStart();
        services.AddOptions<HttpMarketDataOptions>().Bind(configuration.GetSection(HttpMarketDataOptions.SectionName)).ValidateOnStart();
        services.AddOptions<SimulatedFeedOptions>().Bind(configuration.GetSection(SimulatedFeedOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MarketDataOptions>, MarketDataOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpMarketDataOptions>>(
            new HttpMarketDataOptionsValidation(configuration.GetSection(MarketDataOptions.SectionName))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatedFeedOptions>, SimulatedFeedOptionsValidation>());

        // The walks are the feed's state: one per process.
        services.AddSingleton(sp => new SimulatedMarketData(
            new ScopedQuotedSymbols(sp.GetRequiredService<IServiceScopeFactory>()),
            sp.GetRequiredService<IOptions<SimulatedFeedOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));

        // The circuit's state is shared (singleton pipeline); the typed client is transient so the factory can rotate
        // handlers. Each attempt is bounded by the pipeline's timeout, not HttpClient.Timeout. The factory's own
        // request logging is removed: it would write the URL, and the URL carries the API key.
        services.AddHttpDependencyPipeline<HttpMarketDataOptions>(ResiliencePipelines.MarketData, "Market data");
        services.AddHttpClient<HttpMarketDataProvider>(client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();

        services.AddTransient<IMarketDataProvider>(sp =>
            sp.GetRequiredService<IOptions<MarketDataOptions>>().Value.UsesHttp
                ? sp.GetRequiredService<HttpMarketDataProvider>()
                : sp.GetRequiredService<SimulatedMarketData>());

        services.AddScoped<IQuoteSink, MessageBusQuoteSink>();
        services.AddSingleton<MarketDataPump>();
        services.AddHostedService(sp => sp.GetRequiredService<MarketDataPump>());
        services.AddSingleton<FirstQuotesReadinessCheck>();
        services.AddHealthChecks().AddCheck<FirstQuotesReadinessCheck>("first-quotes", tags: [Health.HealthSetup.ReadyTag]);
        return services;
    }
}
