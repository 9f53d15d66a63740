using System.Text.Json.Nodes;
using EventStore.Api.Search;
using EventStore.Api.Search.Elasticsearch;
using EventStore.Projections.Search;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using static EventStore.IntegrationTests.Search.ElasticsearchStub;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// The Elasticsearch client and bulk writer against WireMock. The request and response bodies follow the examples of the
/// Elasticsearch REST API reference: "Create or update an index template", "Create an index" (including the
/// resource_already_exists_exception error), "Bulk API" (the response with "errors": true and per-item status and error,
/// es_rejected_execution_exception for a busy node, mapper_parsing_exception for a bad document), and "Search API"
/// (hits with _score, _source, highlight and sort).
/// </summary>
public sealed class ElasticsearchClientTests : IDisposable
{
    private const string Ix = ElasticsearchStub.Index;

    private static readonly SearchDocument Alice = new(SearchTypes.User, Guid.Parse("0195f2a4-0000-7000-8000-000000000001"), "Alice A.",
        "alice", ["role:admin", "user:0195f2a4-0000-7000-8000-000000000001"], new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    private static readonly SearchDocument Order = new(SearchTypes.Order, Guid.Parse("0195f2a4-0000-7000-8000-000000000002"),
        "BUY 5 AAPL MARKET", "c-1 Filled GTC", ["user:0195f2a4-0000-7000-8000-000000000001"], new DateTimeOffset(2026, 11, 24, 9, 1, 0, TimeSpan.Zero));

    private readonly ElasticsearchStub _stub = new();
    private readonly ElasticsearchOptions _options;
    private readonly ElasticsearchClient _client;

    public ElasticsearchClientTests()
    {
        _options = new ElasticsearchOptions
        {
            Url = _stub.Url, MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            ApiKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
        };
        var options = Options.Create(_options);
        _client = new ElasticsearchClient(new HttpClient { BaseAddress = new Uri(_stub.Url + "/") },
            new ElasticsearchPipeline(options, NullLogger<ElasticsearchPipeline>.Instance), options);
    }

    public void Dispose() => _stub.Dispose();

    [Fact]
    public async Task the_index_template_holds_strict_mappings_and_a_new_index_is_created_once()
    {
        _stub.Server.Given(Request.Create().WithPath($"/_index_template/{Ix}").UsingPut()).RespondWith(Json("""{"acknowledged": true}"""));
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}").UsingHead()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(404));
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}").UsingPut()).InScenario("create").WillSetStateTo("created")
            .RespondWith(Json($$$"""{"acknowledged": true, "shards_acknowledged": true, "index": "{{{Ix}}}"}"""));
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}").UsingPut()).InScenario("create").WhenStateIs("created")
            .RespondWith(Json($$$"""
                {"error": {"root_cause": [{"type": "resource_already_exists_exception", "reason": "index [{{{Ix}}}/Xp8mCE4aQcyZ0vN1k4mK3w] already exists",
                  "index_uuid": "Xp8mCE4aQcyZ0vN1k4mK3w", "index": "{{{Ix}}}"}], "type": "resource_already_exists_exception",
                  "reason": "index [{{{Ix}}}/Xp8mCE4aQcyZ0vN1k4mK3w] already exists", "index_uuid": "Xp8mCE4aQcyZ0vN1k4mK3w", "index": "{{{Ix}}}"},
                 "status": 400}
                """, 400));

        await _client.PutIndexTemplateAsync(CancellationToken.None);
        Assert.False(await _client.IndexExistsAsync(CancellationToken.None));
        Assert.True(await _client.CreateIndexAsync(CancellationToken.None));
        Assert.False(await _client.CreateIndexAsync(CancellationToken.None));

        var template = JsonNode.Parse(_stub.Server.LogEntries.First(e => e.RequestMessage.Path.StartsWith("/_index_template", StringComparison.Ordinal)).RequestMessage.Body!)!;
        Assert.Equal($"{Ix}*", template["index_patterns"]![0]!.GetValue<string>());
        Assert.Equal("strict", template["template"]!["mappings"]!["dynamic"]!.GetValue<string>());
        Assert.Equal("keyword", template["template"]!["mappings"]!["properties"]!["readers"]!["type"]!.GetValue<string>());
        Assert.All(_stub.Server.LogEntries, e => Assert.Equal($"ApiKey {_options.ApiKey}", e.RequestMessage.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task a_bulk_request_is_ndjson_with_idempotent_ids_and_each_item_keeps_its_own_outcome()
    {
        // Bulk API reference: "errors": true with one created, one rejected by a busy node, one bad document, one delete of a missing document.
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}/_bulk").UsingPost()).RespondWith(Json($$$"""
            {"took": 486, "errors": true, "items": [
              {"index": {"_index": "{{{Ix}}}", "_id": "{{{Alice.Key}}}", "_version": 1, "result": "created",
                         "_shards": {"total": 2, "successful": 1, "failed": 0}, "status": 201, "_seq_no": 0, "_primary_term": 1}},
              {"index": {"_index": "{{{Ix}}}", "_id": "{{{Order.Key}}}", "status": 429,
                         "error": {"type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation"} } },
              {"index": {"_index": "{{{Ix}}}", "_id": "INSTRUMENT:0195f2a4-0000-7000-8000-000000000003", "status": 400,
                         "error": {"type": "mapper_parsing_exception", "reason": "failed to parse field [updatedAt] of type [date]"} } },
              {"delete": {"_index": "{{{Ix}}}", "_id": "USER:0195f2a4-0000-7000-8000-000000000004", "_version": 1, "result": "not_found",
                          "_shards": {"total": 2, "successful": 1, "failed": 0}, "status": 404, "_seq_no": 1, "_primary_term": 2}}]}
            """));
        var bad = Alice with { Type = SearchTypes.Instrument, Id = Guid.Parse("0195f2a4-0000-7000-8000-000000000003") };

        var result = await _client.BulkAsync([BulkAction.Index(Alice), BulkAction.Index(Order), BulkAction.Index(bad),
            BulkAction.Delete(new SearchKey(SearchTypes.User, Guid.Parse("0195f2a4-0000-7000-8000-000000000004")))], CancellationToken.None);

        Assert.Equal([true, false, false, true], result.Items.Select(x => x.Succeeded));
        Assert.Equal(Order.Key, Assert.Single(result.Retryable).Action.Id);
        Assert.Equal("mapper_parsing_exception", Assert.Single(result.Rejected).ErrorType);
        var request = _stub.Server.LogEntries.Single().RequestMessage;
        Assert.StartsWith("application/x-ndjson", request.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
        var lines = request.Body!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Equal($$$"""{"index":{"_id":"{{{Alice.Key}}}"}}""", lines[0]);
        Assert.Equal("Alice A.", JsonNode.Parse(lines[1])!["title"]!.GetValue<string>());
        Assert.Equal("Alice A alice", JsonNode.Parse(lines[1])!["terms"]!.GetValue<string>());
        Assert.Equal("""{"delete":{"_id":"USER:0195f2a4-0000-7000-8000-000000000004"}}""", lines[6]);
        Assert.EndsWith("\n", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_writer_sends_again_only_the_items_refused_with_429_and_returns_the_rejected_ones()
    {
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}/_bulk").UsingPost()).InScenario("busy").WillSetStateTo("calm")
            .RespondWith(Json($$$"""
                {"took": 12, "errors": true, "items": [
                  {"index": {"_index": "{{{Ix}}}", "_id": "{{{Alice.Key}}}", "result": "created", "status": 201}},
                  {"index": {"_index": "{{{Ix}}}", "_id": "{{{Order.Key}}}", "status": 429,
                             "error": {"type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation"} } }]}
                """));
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}/_bulk").UsingPost()).InScenario("busy").WhenStateIs("calm")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(r => BulkAllOk(r.Body ?? "")));
        var writer = new ElasticsearchBulkWriter(_client, Options.Create(_options), NullLogger<ElasticsearchBulkWriter>.Instance);

        var rejected = await writer.WriteAsync([BulkAction.Index(Alice), BulkAction.Index(Order)], CancellationToken.None);

        Assert.Empty(rejected);
        var bodies = _stub.Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => e.RequestMessage.Body!).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Equal([("index", Alice.Key), ("index", Order.Key)], Actions(bodies[0]));
        Assert.Equal([("index", Order.Key)], Actions(bodies[1]));
    }

    [Fact]
    public async Task failed_requests_are_retried_with_backoff_and_a_client_error_is_not()
    {
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}/_search").UsingPost()).InScenario("flaky").WillSetStateTo("one")
            .RespondWith(Json("""{"error": {"type": "unavailable_shards_exception", "reason": "primary shard is not active"}, "status": 503}""", 503));
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}/_search").UsingPost()).InScenario("flaky").WhenStateIs("one").WillSetStateTo("two")
            .RespondWith(Json("""{"error": {"type": "es_rejected_execution_exception", "reason": "rejected execution"}, "status": 429}""", 429));
        _stub.Server.Given(Request.Create().WithPath($"/{Ix}/_search").UsingPost()).InScenario("flaky").WhenStateIs("two")
            .RespondWith(Json($$$"""
                {"took": 5, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                 "hits": {"total": {"value": 1, "relation": "eq"}, "max_score": 1.3862942, "hits": [
                   {"_index": "{{{Ix}}}", "_id": "{{{Alice.Key}}}", "_score": 1.3862942,
                    "_source": {"type": "USER", "id": "{{{Alice.Id}}}", "key": "{{{Alice.Key}}}", "title": "Alice A.", "body": "alice",
                                "terms": "Alice A alice", "readers": ["role:admin"], "updatedAt": "2026-11-24T09:00:00+00:00"},
                    "highlight": {"title": ["<mark>Alice</mark> A."]},
                    "sort": [1.3862942, "USER", "{{{Alice.Id}}}"]}]}}
                """));
        var backend = new ElasticsearchSearchBackend(_client);
        var request = new SearchRequest("ali", [SearchTypes.User, SearchTypes.Order], ["public", "role:admin"], 10,
            new SearchPosition(2.5, SearchTypes.Instrument, Guid.Parse("0195f2a4-0000-7000-8000-000000000009")));

        var page = await backend.SearchAsync(request, CancellationToken.None);

        var hit = Assert.Single(page.Hits);
        Assert.Equal((SearchTypes.User, Alice.Id, "Alice A.", "<mark>Alice</mark> A. · alice", 1.3862942),
            (hit.Type, hit.Id, hit.Title, hit.Highlight, hit.Score));
        Assert.False(page.HasNextPage);
        Assert.Equal(3, _stub.Server.LogEntries.Count);
        var query = JsonNode.Parse(_stub.Server.LogEntries[^1].RequestMessage.Body!)!;
        Assert.Equal(11, query["size"]!.GetValue<int>());
        Assert.Equal("bool_prefix", query["query"]!["bool"]!["must"]![0]!["multi_match"]!["type"]!.GetValue<string>());
        Assert.Equal("""{"terms":{"readers":["public","role:admin"]}}""", query["query"]!["bool"]!["filter"]![1]!.ToJsonString());
        Assert.Equal("""[2.5,"INSTRUMENT","0195f2a4-0000-7000-8000-000000000009"]""", query["search_after"]!.ToJsonString());

        _stub.Server.Given(Request.Create().WithPath($"/{Ix}/_bulk").UsingPost())
            .RespondWith(Json("""{"error": {"type": "illegal_argument_exception", "reason": "Malformed action/metadata line [1]"}, "status": 400}""", 400));
        var error = await Assert.ThrowsAsync<ElasticsearchException>(() => _client.BulkAsync([BulkAction.Index(Alice)], CancellationToken.None));
        Assert.Contains("illegal_argument_exception", error.Message, StringComparison.Ordinal);
        Assert.Single(_stub.Server.LogEntries, e => e.RequestMessage.Path.EndsWith("/_bulk", StringComparison.Ordinal));
        Assert.False(ElasticsearchBulkWriter.IsTransient(error));
    }
}
