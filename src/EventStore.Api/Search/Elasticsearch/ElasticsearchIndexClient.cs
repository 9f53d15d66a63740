using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Transport;
using Elastic.Transport.Products.Elasticsearch;
using EventStore.Api.Resilience;
using Polly;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// What the app asks of Elasticsearch, through the official client (Elastic.Clients.Elasticsearch): our code builds
/// typed requests and never a path. Every call goes through the pipeline <see cref="ResiliencePipelines.Elasticsearch"/> (a fresh
/// request per attempt); an answer that is still a failure after it becomes an <see cref="ElasticsearchException"/>.
/// </summary>
public sealed class ElasticsearchIndexClient(
    ElasticsearchClient client, [FromKeyedServices(ResiliencePipelines.Elasticsearch)] ResiliencePipeline pipeline, ElasticsearchIndexNames names)
{
    public ElasticsearchIndexNames Names => names;

    /// <summary>
    /// The server's version from the root endpoint. Asked with a plain JSON <c>Accept</c>: a server older than 9 refuses
    /// the client's usual <c>compatible-with=9</c> media type (400 <c>media_type_header_exception</c>) before it says who
    /// it is, and the point here is to name its version.
    /// </summary>
    public async Task<string> ServerVersionAsync(CancellationToken ct)
    {
        var response = await CallAsync(t => client.InfoAsync(
            new InfoRequest { RequestConfiguration = new RequestConfiguration { Accept = "application/json" } }, t), ct);
        Ensure(response, "say which version it runs");
        return response.Version.Number;
    }

    public async Task PutIndexTemplateAsync(CancellationToken ct) =>
        Ensure(await CallAsync(t => client.Indices.PutIndexTemplateAsync(ElasticsearchMappings.Template(names), t), ct), "put the index template");

    /// <summary>Which of our indices (<see cref="ElasticsearchIndexNames.Pattern"/>) hold the read and the write alias.</summary>
    public async Task<IndexLayout> LayoutAsync(CancellationToken ct)
    {
        var response = await CallAsync(t => client.Indices.GetAliasAsync(new GetAliasRequest(Indices.Parse(names.Pattern, System.Globalization.CultureInfo.InvariantCulture)), t), ct);
        Ensure(response, "list the aliases");
        var indices = response.Aliases ?? new Dictionary<string, IndexAliases>();
        string? Holding(string alias) => indices.Where(x => x.Value.Aliases.ContainsKey(alias)).Select(x => x.Key).Order(StringComparer.Ordinal).LastOrDefault();
        return new IndexLayout(Holding(names.ReadAlias), Holding(names.WriteAlias), [.. indices.Keys.Order(StringComparer.Ordinal)]);
    }

    /// <summary>A new concrete index (settings and mappings from the template). Already there counts as done: the
    /// name is ours, and an attempt whose answer was lost may have created it.</summary>
    public async Task CreateIndexAsync(string index, CancellationToken ct)
    {
        var response = await CallAsync(t => client.Indices.CreateAsync(new CreateIndexRequest(index), t), ct);
        if (ErrorType(response) != "resource_already_exists_exception")
        {
            Ensure(response, $"create the index {index}");
        }
    }

    /// <summary>Moves the write alias to <paramref name="index"/>, in one atomic alias update.</summary>
    public async Task PointWriteAliasAsync(string index, IndexLayout layout, CancellationToken ct)
    {
        List<IndexUpdateAliasesAction> actions = [new AddAction { Index = index, Alias = names.WriteAlias }];
        if (layout.WriteIndex is { } previous && previous != index)
        {
            actions.Add(new RemoveAction { Index = previous, Alias = names.WriteAlias });
        }

        await UpdateAliasesAsync(actions, "move the write alias", ct);
    }

    /// <summary>
    /// Serves the index the writes go to: one atomic alias update adds the read alias to it and deletes every other
    /// index of ours (the one served until now, leftovers of abandoned rebuilds, and an index that used the alias's
    /// own name before aliases were used), so a search sees the old index or the new one, never neither.
    /// </summary>
    public async Task SwapReadAliasAsync(IndexLayout layout, CancellationToken ct)
    {
        var target = layout.WriteIndex ?? throw new InvalidOperationException("No index holds the write alias.");
        List<IndexUpdateAliasesAction> actions = [new AddAction { Index = target, Alias = names.ReadAlias }];
        actions.AddRange(layout.Indices.Where(x => x != target).Select(x => (IndexUpdateAliasesAction)new RemoveIndexAction { Index = x }));
        if (layout.ReadIndex is null && await LegacyIndexExistsAsync(ct))
        {
            actions.Add(new RemoveIndexAction { Index = names.ReadAlias });
        }

        await UpdateAliasesAsync(actions, "swap the read alias", ct);
    }

    /// <summary>
    /// One bulk request to the write alias (<c>require_alias</c>: if the alias is missing, the items fail rather than
    /// auto-create an index under the alias's name). Each operation's own status comes back, in request order.
    /// </summary>
    public async Task<BulkResult> BulkAsync(IReadOnlyList<BulkAction> actions, CancellationToken ct)
    {
        if (actions.Count == 0)
        {
            return new BulkResult([]);
        }

        var response = await CallAsync(t => client.BulkAsync(BulkRequest(actions), t), ct);
        if (!(response.ApiCallDetails.HasSuccessfulStatusCode && response.ApiCallDetails.HasExpectedContentType))
        {
            // Not an answer per item (the client's IsValidResponse is also false when only some items failed).
            Ensure(response, "index documents");
        }

        var items = response.Items.ToList();
        if (items.Count != actions.Count)
        {
            throw new ElasticsearchException($"The bulk response has {items.Count} items for {actions.Count} operations.", 200, null, transient: false);
        }

        return new BulkResult([.. items.Select((item, i) => new BulkItemResult(actions[i], item.Status, item.Error?.Type, item.Error?.Reason))]);
    }

    /// <summary>The hits, or null when no index is served yet (the read alias does not exist: 404 <c>index_not_found_exception</c>).</summary>
    public async Task<IReadOnlyList<ElasticsearchHit>?> SearchAsync(Elastic.Clients.Elasticsearch.SearchRequest request, CancellationToken ct)
    {
        var response = await CallAsync(t => client.SearchAsync<IndexedDocument>(request, t), ct);
        if (response.ApiCallDetails.HttpStatusCode == 404 && ErrorType(response) == "index_not_found_exception")
        {
            return null;
        }

        Ensure(response, "search");
        return [.. response.Hits.Where(h => h.Source is not null).Select(hit =>
        {
            var title = hit.Highlight?.GetValueOrDefault("title")?.FirstOrDefault() ?? hit.Source!.Title;
            var body = hit.Highlight?.GetValueOrDefault("body")?.FirstOrDefault() ?? hit.Source!.Body;
            return new ElasticsearchHit(hit.Source!, hit.Score ?? 0, $"{title} · {body}");
        })];
    }

    private BulkRequest BulkRequest(IReadOnlyList<BulkAction> actions)
    {
        var operations = new BulkOperationsCollection();
        foreach (var action in actions)
        {
            operations.Add(action.Document is { } document
                ? new BulkIndexOperation<IndexedDocument>(document) { Id = action.Id }
                : new BulkDeleteOperation(action.Id));
        }

        return new BulkRequest(names.WriteAlias) { RequireAlias = true, Operations = operations };
    }

    private async Task<bool> LegacyIndexExistsAsync(CancellationToken ct)
    {
        var response = await CallAsync(t => client.Indices.ExistsAsync(names.ReadAlias, t), ct);
        if (response.ApiCallDetails.HttpStatusCode == 404)
        {
            return false;
        }

        Ensure(response, "check for an index named like the alias");
        return true;
    }

    private async Task UpdateAliasesAsync(List<IndexUpdateAliasesAction> actions, string what, CancellationToken ct) =>
        Ensure(await CallAsync(t => client.Indices.UpdateAliasesAsync(new UpdateAliasesRequest { Actions = actions }, t), ct), what);

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct) where T : TransportResponse =>
        await pipeline.ExecuteAsync(async token => await call(token), ct);

    private static string? ErrorType(ElasticsearchResponse response) => response.ElasticsearchServerError?.Error?.Type;

    /// <summary>
    /// A failed answer becomes an exception naming the HTTP status and Elasticsearch's error type; never the error's
    /// reason, which can quote a document's text.
    /// </summary>
    private static void Ensure(ElasticsearchResponse response, string what)
    {
        if (response.IsValidResponse)
        {
            return;
        }

        var status = response.ApiCallDetails.HttpStatusCode;
        var type = ErrorType(response);
        var detail = status is null
            ? $"no answer ({response.ApiCallDetails.OriginalException?.GetType().Name ?? "unknown failure"})"
            : $"HTTP {status} {type ?? (response.ApiCallDetails.HasExpectedContentType ? "" : "with an unexpected content type")}".TrimEnd();
        throw new ElasticsearchException($"Elasticsearch could not {what}: {detail}", status, type, status is null or 429 or >= 500);
    }
}
