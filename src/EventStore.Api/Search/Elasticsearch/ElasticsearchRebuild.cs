using JasperFx.Events.Daemon;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// An admin's rebuild of the Elasticsearch index (`rebuildProjection(name: "ElasticsearchIndex")`, docs/search.md):
/// a new index behind the write alias, the indexer rewound to the start of the log on this node's daemon, and the call
/// returns once the indexer has caught up and swapped the read alias to the new index. Searches read the old index
/// the whole time; no half-built index is ever served.
/// </summary>
public sealed class ElasticsearchRebuild(ElasticsearchIndexSetup setup, ElasticsearchIndexClient client, ElasticsearchIndexer indexer)
{
    public async Task<string> RunAsync(IProjectionDaemon daemon, TimeSpan timeout, CancellationToken ct)
    {
        await setup.EnsureAsync(ct);
        var index = await setup.BeginRebuildAsync(await client.LayoutAsync(ct), ct);
        var served = indexer.ServedAsync(index);
        await daemon.RewindSubscriptionAsync(ElasticsearchIndexer.SubscriptionName, ct, sequenceFloor: 0);
        var sequence = await served.WaitAsync(timeout, ct);
        await daemon.Tracker.WaitForShardState($"{ElasticsearchIndexer.SubscriptionName}:All", sequence, timeout);
        return index;
    }
}
