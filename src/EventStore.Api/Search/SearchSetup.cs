using EventStore.Api.Search.Elasticsearch;
using EventStore.Projections.Search;
using Marten;
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
        services.AddOptions<ElasticsearchOptions>().BindConfiguration(ElasticsearchOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();

        var elasticsearch = configuration.GetSection(ElasticsearchOptions.SectionName).Get<ElasticsearchOptions>() ?? new ElasticsearchOptions();
        if (!elasticsearch.Enabled)
        {
            services.AddSingleton<ISearchBackend, PostgresSearchBackend>();
            return services;
        }

        services.AddSingleton<ElasticsearchPipeline>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ElasticsearchOptions>>();
            // One long-lived client; the pooled-connection lifetime picks up DNS changes. The pipeline times each attempt,
            // so the HttpClient's own timeout must not cut retries short.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = new Uri(o.Value.Url!.EndsWith('/') ? o.Value.Url : o.Value.Url + "/"),
                Timeout = Timeout.InfiniteTimeSpan,
            };
            return new ElasticsearchClient(http, sp.GetRequiredService<ElasticsearchPipeline>(), o);
        });
        services.AddSingleton<ElasticsearchIndexSetup>();
        services.AddHostedService(sp => sp.GetRequiredService<ElasticsearchIndexSetup>());
        services.AddSingleton<ElasticsearchBulkWriter>();
        services.AddSingleton<ElasticsearchIndexer>();
        services.ConfigureMarten((sp, options) => options.Events.Subscribe(sp.GetRequiredService<ElasticsearchIndexer>(), s =>
        {
            s.Name = ElasticsearchIndexer.SubscriptionName;
            IncludeSearchEvents(s);
        }));
        services.AddSingleton<ISearchBackend, ElasticsearchSearchBackend>();
        return services;
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
