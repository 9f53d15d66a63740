using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using EventStore.Api.Resilience;
using EventStore.Api.Search.Elasticsearch;
using EventStore.Projections.Search;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Search;

public static class SearchSetup
{
    /// <summary>
    /// The search read model (always: `eventstore.search_documents`) and the backend `search(...)` uses: PostgreSQL
    /// full-text by default; Elasticsearch when `Elasticsearch:Url` is set (then the indexer subscription runs too).
    /// </summary>
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureMarten(options => options.ConfigureSearchProjections());
        services.AddSingleton<SearchAudience>();
        services.AddSingleton<ISearchAudienceSource, RoomMembershipAudience>();
        services.AddSingleton<PostgresSearchBackend>();
        services.AddOptions<ElasticsearchOptions>().BindConfiguration(ElasticsearchOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();

        var elasticsearch = configuration.GetSection(ElasticsearchOptions.SectionName).Get<ElasticsearchOptions>() ?? new ElasticsearchOptions();
        if (!elasticsearch.Enabled)
        {
            services.AddSingleton<ISearchBackend>(sp => sp.GetRequiredService<PostgresSearchBackend>());
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddTransientRetryPipeline(ResiliencePipelines.Elasticsearch, "Elasticsearch",
            sp => ElasticsearchPipeline.Retry(sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value));
        services.AddSingleton(sp => Client(sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value));
        services.AddSingleton(sp => new ElasticsearchIndexNames(sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value.Index));
        services.AddSingleton<ElasticsearchIndexClient>();
        services.AddSingleton<ElasticsearchIndexSetup>();
        services.AddHostedService(sp => sp.GetRequiredService<ElasticsearchIndexSetup>());
        services.AddSingleton<ElasticsearchBulkWriter>();
        services.AddSingleton<ElasticsearchIndexer>();
        services.AddSingleton<ElasticsearchRebuild>();
        services.ConfigureMarten((sp, options) =>
        {
            options.Storage.ExtendedSchemaObjects.Add(ElasticsearchRejections.Build());
            options.Events.Subscribe(sp.GetRequiredService<ElasticsearchIndexer>(), s =>
            {
                s.Name = ElasticsearchIndexer.SubscriptionName;
                IncludeSearchEvents(s);
            });
        });
        services.AddHealthChecks().AddCheck<ElasticsearchRejectionsHealthCheck>("elasticsearch-rejections", tags: [Health.HealthSetup.ReadyTag]);
        services.AddSingleton<ISearchBackend, ElasticsearchSearchBackend>();
        return services;
    }

    /// <summary>
    /// The official client, one per process (it pools its connections). One node, no sniffing or pinging (a cluster's
    /// own load balancer or a single node sits behind the URL); retries are the pipeline's (<see cref="ElasticsearchPipeline"/>).
    /// Request bodies are gzipped (the client's default).
    /// </summary>
    internal static ElasticsearchClient Client(ElasticsearchOptions options)
    {
        var settings = new ElasticsearchClientSettings(new SingleNodePool(new Uri(options.Url!)))
            .RequestTimeout(options.RequestTimeout)
            .MaximumRetries(0)
            .DisablePing();
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            settings = settings.Authentication(new ApiKey(options.ApiKey));
        }

        return new ElasticsearchClient(settings);
    }

    /// <summary>
    /// Only the events the PostgreSQL projection handles (<see cref="SearchSources.EventTypes"/>, all of which
    /// <see cref="SearchSources.KeyOf"/> maps): the daemon then never loads quotes and the like.
    /// </summary>
    private static void IncludeSearchEvents(JasperFx.Events.Subscriptions.ISubscriptionOptions s)
    {
        foreach (var type in SearchSources.EventTypes)
        {
            s.IncludeType(type);
        }
    }
}
