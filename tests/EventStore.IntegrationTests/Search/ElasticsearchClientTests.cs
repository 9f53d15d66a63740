using System.Text.Json.Nodes;
using EventStore.Api.Database;
using EventStore.Api.Resilience;
using EventStore.Api.Search;
using EventStore.Api.Search.Elasticsearch;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.Projections.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using static EventStore.IntegrationTests.Search.ElasticsearchStub;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// Stubbed Elasticsearch (WireMock, <see cref="ElasticsearchStub"/>; no server can run here): the official client as the
/// app configures it, with our pipeline, names and requests, against answers modelled on the Elasticsearch REST API
/// reference: "Create or update an index template", "Create an index", "Create or update an alias" (_aliases with add,
/// remove and remove_index), "Bulk API" (errors: true with per-item status and error), "Search API", "Get cluster info".
/// </summary>
public sealed class ElasticsearchClientTests : IDisposable
{
    private static readonly SearchDocument Alice = new(SearchTypes.User, Guid.Parse("0195f2a4-0000-7000-8000-000000000001"), "Alice A.",
        "alice", ["role:admin", "user:0195f2a4-0000-7000-8000-000000000001"], new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    private static readonly SearchDocument Order = new(SearchTypes.Order, Guid.Parse("0195f2a4-0000-7000-8000-000000000002"),
        "BUY 5 AAPL MARKET", "c-1 Filled GTC", ["user:0195f2a4-0000-7000-8000-000000000001"], new DateTimeOffset(2026, 11, 24, 9, 1, 0, TimeSpan.Zero));

    private readonly ElasticsearchStub _stub;
    private readonly ElasticsearchOptions _options;
    private readonly ElasticsearchIndexClient _client;

    public ElasticsearchClientTests() : this(new ElasticsearchStub())
    {
    }

    private ElasticsearchClientTests(ElasticsearchStub stub)
    {
        _stub = stub;
        _options = new ElasticsearchOptions
        {
            Url = _stub.Url, MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            ApiKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
        };
        _client = ClientFor(_options);
    }

    public void Dispose() => _stub.Dispose();

    [Fact]
    public async Task the_template_holds_strict_mappings_for_the_alias_pattern_and_requests_are_gzipped_vendor_json()
    {
        await _client.PutIndexTemplateAsync(CancellationToken.None);

        var request = _stub.RequestsTo("PUT", $"/_index_template/{Alias}").Single();
        var template = JsonNode.Parse(request.Body!)!;
        Assert.Equal($"{Alias}-*", template["index_patterns"]!.ToJsonString().Trim('[', ']', '"'));
        Assert.Equal("strict", template["template"]!["mappings"]!["dynamic"]!.GetValue<string>());
        Assert.Equal("keyword", template["template"]!["mappings"]!["properties"]!["readers"]!["type"]!.GetValue<string>());
        Assert.Equal("folding", template["template"]!["mappings"]!["properties"]!["title"]!["analyzer"]!.GetValue<string>());
        Assert.Equal(ElasticsearchMappings.Version, template["_meta"]!["mappings_version"]!.GetValue<int>());
        Assert.Equal("gzip", request.Headers!["Content-Encoding"].Single());
        Assert.Equal(VendorJson, request.Headers!["Content-Type"].Single().Replace(" ", "", StringComparison.Ordinal));
        Assert.StartsWith("application/vnd.elasticsearch+json", request.Headers!["Accept"].Single(), StringComparison.Ordinal);
        Assert.Equal($"ApiKey {_options.ApiKey}", request.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task a_new_index_takes_the_write_alias_and_the_swap_serves_it_and_drops_the_old_ones_in_one_alias_update()
    {
        _stub.WithIndex($"{Alias}-v1-20261101000000000", Alias, WriteAlias).WithIndex($"{Alias}-v1-20261102000000000");
        var next = $"{Alias}-v1-20261124090000000";

        await _client.CreateIndexAsync(next, CancellationToken.None);
        await _client.CreateIndexAsync(next, CancellationToken.None); // a retry after a lost answer: already there is fine
        var before = await _client.LayoutAsync(CancellationToken.None);
        await _client.PointWriteAliasAsync(next, before, CancellationToken.None);
        var building = await _client.LayoutAsync(CancellationToken.None);
        await _client.SwapReadAliasAsync(building, CancellationToken.None);

        Assert.Equal(($"{Alias}-v1-20261101000000000", $"{Alias}-v1-20261101000000000"), (before.ReadIndex, before.WriteIndex));
        Assert.Equal(($"{Alias}-v1-20261101000000000", next, true), (building.ReadIndex, building.WriteIndex, building.Rebuilding));
        var updates = _stub.RequestsTo("POST", "/_aliases").Select(r => JsonNode.Parse(r.Body!)!["actions"]!.ToJsonString()).ToList();
        Assert.Equal(
            [
                $$$"""[{"add":{"alias":"{{{WriteAlias}}}","index":"{{{next}}}"}},{"remove":{"alias":"{{{WriteAlias}}}","index":"{{{Alias}}}-v1-20261101000000000"}}]""",
                $$$"""[{"add":{"alias":"{{{Alias}}}","index":"{{{next}}}"}},{"remove_index":{"index":"{{{Alias}}}-v1-20261101000000000"}},{"remove_index":{"index":"{{{Alias}}}-v1-20261102000000000"}}]""",
            ], updates);
        var cluster = _stub.Indices;
        Assert.Equal([next], cluster.Keys);
        Assert.Equal([Alias, WriteAlias], cluster[next].Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task the_alias_of_an_index_named_like_it_before_aliases_were_used_replaces_it_in_the_same_update()
    {
        var next = $"{Alias}-v1-20261124090000000";
        _stub.WithIndex(Alias).WithIndex(next, WriteAlias);

        await _client.SwapReadAliasAsync(await _client.LayoutAsync(CancellationToken.None), CancellationToken.None);

        Assert.Equal($$$"""[{"add":{"alias":"{{{Alias}}}","index":"{{{next}}}"}},{"remove_index":{"index":"{{{Alias}}}"}}]""",
            JsonNode.Parse(_stub.RequestsTo("POST", "/_aliases").Single().Body!)!["actions"]!.ToJsonString());
        Assert.Equal([next], _stub.Indices.Keys);
    }

    [Fact]
    public async Task a_bulk_request_goes_to_the_write_alias_with_idempotent_ids_and_each_item_keeps_its_own_outcome()
    {
        // Bulk API reference: "errors": true with one created, one rejected by a busy node, one bad document, one delete of a missing document.
        _stub.Override(Request.Create().WithPath($"/{WriteAlias}/_bulk").UsingPost()).RespondWith(Json($$$"""
            {"took": 486, "errors": true, "items": [
              {"index": {"_index": "{{{Alias}}}-v1-1", "_id": "{{{Alice.Key}}}", "_version": 1, "result": "created",
                         "_shards": {"total": 2, "successful": 1, "failed": 0}, "status": 201, "_seq_no": 0, "_primary_term": 1}},
              {"index": {"_index": "{{{Alias}}}-v1-1", "_id": "{{{Order.Key}}}", "status": 429,
                         "error": {"type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation"} } },
              {"index": {"_index": "{{{Alias}}}-v1-1", "_id": "INSTRUMENT:0195f2a4-0000-7000-8000-000000000003", "status": 400,
                         "error": {"type": "document_parsing_exception", "reason": "[1:63] failed to parse field [updatedAt] of type [date]"} } },
              {"delete": {"_index": "{{{Alias}}}-v1-1", "_id": "USER:0195f2a4-0000-7000-8000-000000000004", "_version": 1, "result": "not_found",
                          "_shards": {"total": 2, "successful": 1, "failed": 0}, "status": 404, "_seq_no": 1, "_primary_term": 2}}]}
            """));
        var bad = Alice with { Type = SearchTypes.Instrument, Id = Guid.Parse("0195f2a4-0000-7000-8000-000000000003") };

        var result = await _client.BulkAsync([BulkAction.Index(Alice), BulkAction.Index(Order), BulkAction.Index(bad),
            BulkAction.Delete(new SearchKey(SearchTypes.User, Guid.Parse("0195f2a4-0000-7000-8000-000000000004")))], CancellationToken.None);

        Assert.Equal([true, false, false, true], result.Items.Select(x => x.Succeeded));
        Assert.Equal(Order.Key, Assert.Single(result.Retryable).Action.Id);
        Assert.Equal(("document_parsing_exception", "[1:63] failed to parse field [updatedAt] of type [date]"),
            (Assert.Single(result.Rejected).ErrorType, Assert.Single(result.Rejected).ErrorReason));
        var request = _stub.Requests.Single();
        Assert.Equal("true", request.Query!["require_alias"].Single());
        // The client asks for plain JSON on bulk (the stub answers in kind) and sends NDJSON.
        Assert.Equal(("application/x-ndjson", "application/json"), (request.Headers!["Content-Type"].Single(), request.Headers!["Accept"].Single()));
        Assert.Equal("gzip", request.Headers!["Content-Encoding"].Single());
        var lines = request.Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Equal($$$"""{"index":{"_id":"{{{Alice.Key}}}"}}""", lines[0]);
        Assert.Equal(("Alice A.", "Alice A alice"), (JsonNode.Parse(lines[1])!["title"]!.GetValue<string>(), JsonNode.Parse(lines[1])!["terms"]!.GetValue<string>()));
        Assert.Equal("""{"delete":{"_id":"USER:0195f2a4-0000-7000-8000-000000000004"}}""", lines[6]);
    }

    [Fact]
    public async Task the_writer_sends_again_only_the_items_refused_with_429_and_returns_the_rejected_ones()
    {
        _stub.WithIndex($"{Alias}-v1-1", Alias, WriteAlias);
        _stub.Override(Request.Create().WithPath($"/{WriteAlias}/_bulk").UsingPost()).InScenario("busy").WillSetStateTo("calm")
            .RespondWith(Json($$$"""
                {"took": 12, "errors": true, "items": [
                  {"index": {"_index": "{{{Alias}}}-v1-1", "_id": "{{{Alice.Key}}}", "result": "created", "status": 201}},
                  {"index": {"_index": "{{{Alias}}}-v1-1", "_id": "{{{Order.Key}}}", "status": 429,
                             "error": {"type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation"} } }]}
                """));
        var writer = new ElasticsearchBulkWriter(_client, Options.Create(_options), NullLogger<ElasticsearchBulkWriter>.Instance);

        var rejected = await writer.WriteAsync([BulkAction.Index(Alice), BulkAction.Index(Order)], CancellationToken.None);

        Assert.Empty(rejected);
        var bodies = _stub.BulkBodies;
        Assert.Equal(2, bodies.Count);
        Assert.Equal([("index", Alice.Key), ("index", Order.Key)], Actions(bodies[0]));
        Assert.Equal([("index", Order.Key)], Actions(bodies[1]));
    }

    [Fact]
    public async Task the_search_filters_by_type_and_the_callers_readers_inside_the_query_and_failures_are_retried_but_a_client_error_is_not()
    {
        _stub.Override(Request.Create().WithPath($"/{Alias}/_search").UsingPost()).InScenario("flaky").WillSetStateTo("one")
            .RespondWith(Json(Error("unavailable_shards_exception", "primary shard is not active", 503), 503));
        _stub.Override(Request.Create().WithPath($"/{Alias}/_search").UsingPost()).InScenario("flaky").WhenStateIs("one").WillSetStateTo("two")
            .RespondWith(Json(Error("es_rejected_execution_exception", "rejected execution", 429), 429));
        _stub.Override(Request.Create().WithPath($"/{Alias}/_search").UsingPost()).InScenario("flaky").WhenStateIs("two")
            .RespondWith(Json($$$"""
                {"took": 5, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                 "hits": {"max_score": 1.3862942, "hits": [
                   {"_index": "{{{Alias}}}-v1-1", "_id": "{{{Alice.Key}}}", "_score": 1.3862942,
                    "_source": {"type": "USER", "id": "{{{Alice.Id}}}", "key": "{{{Alice.Key}}}", "title": "Alice A.", "body": "alice",
                                "terms": "Alice A alice", "readers": ["role:admin"], "updatedAt": "2026-11-24T09:00:00+00:00"},
                    "highlight": {"title": ["<mark>Alice</mark> A."]},
                    "sort": [1.3862942, "USER", "{{{Alice.Id}}}"]}]}}
                """));
        var request = new SearchRequest("ali", [SearchTypes.User, SearchTypes.Order], ["public", "role:admin"], 10,
            new SearchPosition(2.5, SearchTypes.Instrument, Guid.Parse("0195f2a4-0000-7000-8000-000000000009")));

        // No PostgreSQL fallback: it is used only while no index is served, and here one is (ElasticsearchIndexerTests covers it).
        var page = await new ElasticsearchSearchBackend(_client, fallback: null!).SearchAsync(request, CancellationToken.None);

        var hit = Assert.Single(page.Hits);
        Assert.Equal((SearchTypes.User, Alice.Id, "Alice A.", "<mark>Alice</mark> A. · alice", 1.3862942),
            (hit.Type, hit.Id, hit.Title, hit.Highlight, hit.Score));
        Assert.False(page.HasNextPage);
        Assert.Equal(3, _stub.Requests.Count);
        var query = JsonNode.Parse(_stub.Requests[^1].Body!)!;
        Assert.Equal(11, query["size"]!.GetValue<int>());
        var match = query["query"]!["bool"]!["must"]!["multi_match"]!; // a one-query `must` is sent as an object, not a list
        Assert.Equal(("ali", """["title^2","body","terms"]""", "and", "bool_prefix"), (match["query"]!.GetValue<string>(),
            match["fields"]!.ToJsonString(), match["operator"]!.GetValue<string>(), match["type"]!.GetValue<string>()));
        Assert.Equal(["""{"terms":{"type":["USER","ORDER"]}}""", """{"terms":{"readers":["public","role:admin"]}}"""],
            query["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()));
        Assert.Equal("""[2.5,"INSTRUMENT","0195f2a4-0000-7000-8000-000000000009"]""", query["search_after"]!.ToJsonString());
        Assert.Equal("""[{"_score":{"order":"desc"}},{"type":{"order":"asc"}},{"id":{"order":"asc"}}]""", query["sort"]!.ToJsonString());

        _stub.Override(Request.Create().WithPath($"/{WriteAlias}/_bulk").UsingPost())
            .RespondWith(Json(Error("illegal_argument_exception", "Malformed action/metadata line [1]", 400), 400));
        var error = await Assert.ThrowsAsync<ElasticsearchException>(() => _client.BulkAsync([BulkAction.Index(Alice)], CancellationToken.None));
        Assert.Equal((400, "illegal_argument_exception", false), (error.Status, error.ErrorType, error.IsTransient));
        Assert.Single(_stub.RequestsTo("POST", "/_bulk"));
    }

    [Fact]
    public async Task an_elasticsearch_8_server_stops_start_up_naming_the_setting_before_anything_is_written()
    {
        using var old = new ElasticsearchStub(version: "8.15.3");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => Setup(old.Url).PrepareAsync(CancellationToken.None));

        Assert.Contains("Elasticsearch:Url points at Elasticsearch 8.15.3", e.Message, StringComparison.Ordinal);
        Assert.Contains("Elasticsearch 9 or newer", e.Message, StringComparison.Ordinal);
        var info = Assert.Single(old.Requests);
        Assert.Equal(("GET", "/", "application/json"), (info.Method, info.Path, info.Headers!["Accept"].Single()));
    }

    [Fact]
    public async Task an_elasticsearch_9_server_passes_the_check_and_gets_its_template_and_a_new_index_behind_the_write_alias()
    {
        await Setup(_stub.Url, await TestPostgres.CreateDatabaseAsync("es_setup")).PrepareAsync(CancellationToken.None);

        Assert.Equal(["GET /", $"PUT /_index_template/{Alias}", $"GET /{Alias}-*/_alias", "PUT", "POST /_aliases"],
            _stub.Requests.Select(r => r.Method == "PUT" && !Path(r).Contains("_index_template", StringComparison.Ordinal) ? "PUT" : $"{r.Method} {Path(r)}"));
        var index = Assert.Single(_stub.Indices);
        Assert.StartsWith($"{Alias}-v{ElasticsearchMappings.Version}-", index.Key, StringComparison.Ordinal);
        Assert.Equal([WriteAlias], index.Value); // not served until it has been filled
    }

    [Fact]
    public async Task a_server_that_is_not_elasticsearch_stops_start_up_naming_the_setting()
    {
        _stub.Override(Request.Create().WithPath("/").UsingGet()).RespondWith(WireMock.ResponseBuilders.Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"name": "not-a-search-engine"}"""));

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => Setup(_stub.Url).PrepareAsync(CancellationToken.None));

        Assert.Contains("Elasticsearch:Url does not answer as Elasticsearch", e.Message, StringComparison.Ordinal);
    }

    private static ElasticsearchIndexClient ClientFor(ElasticsearchOptions options) => new(
        global::EventStore.Api.Search.SearchSetup.Client(options),
        ResiliencePipelines.BuildTransientRetry("Elasticsearch", ElasticsearchPipeline.Retry(options), TimeProvider.System, NullLogger.Instance),
        new ElasticsearchIndexNames(options.Index));

    /// <summary>By default a PostgreSQL that is never reached: nothing of the log is touched before the server has passed the checks.</summary>
    private static ElasticsearchIndexSetup Setup(string url, string postgres = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
        }).Build();
        var options = new ElasticsearchOptions { Url = url, MaxRetries = 0 };
        return new ElasticsearchIndexSetup(ClientFor(options), PostgresConnectionSource.Create(configuration, NullLogger.Instance),
            TimeProvider.System, NullLogger<ElasticsearchIndexSetup>.Instance);
    }
}
