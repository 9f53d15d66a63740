using Alba;
using EventStore.Api.Search.Elasticsearch;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// The Elasticsearch indexer (a Marten subscription) in the real app, against WireMock standing in for the cluster:
/// a new index is backfilled from the start of the log, and a restart resumes from the checkpoint instead of resending.
/// Each test has its own database and starts hosts as an operator would restart nodes.
/// </summary>
[Collection(ElasticsearchCollection.Name)]
public sealed class ElasticsearchIndexerTests
{
    [Fact]
    public async Task a_new_index_is_backfilled_and_a_restart_resumes_from_the_checkpoint()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_index");

        // First start: no index yet. The app creates it and indexes the whole log (the catalogue and the admin).
        using (var fresh = new ElasticsearchStub().AcceptEverything(indexExists: false))
        {
            await using var host = await StartAsync(database, fresh.Url);
            await new GraphQLClient(host).RegisterAsync("es.alice");
            await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

            var indexed = Indexed(fresh);
            Assert.Equal(28, indexed.Count(id => id.StartsWith("INSTRUMENT:", StringComparison.Ordinal)));
            Assert.Equal(2, indexed.Count(id => id.StartsWith("USER:", StringComparison.Ordinal)));
            Assert.Contains(fresh.Server.LogEntries, e => e.RequestMessage.Method == "PUT" && e.RequestMessage.Path == $"/{ElasticsearchStub.Index}");
            Assert.True(await CheckpointAsync(database) > 0);
        }

        // Restart against the same index: only what happened since the checkpoint is sent.
        using (var same = new ElasticsearchStub().AcceptEverything(indexExists: true))
        {
            await using var host = await StartAsync(database, same.Url);
            var (bob, _) = await new GraphQLClient(host).RegisterAndLogInAsync("es.bob");
            await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

            Assert.Equal([$"USER:{bob:D}"], Indexed(same));
            Assert.DoesNotContain(same.Server.LogEntries, e => e.RequestMessage.Method == "PUT" && e.RequestMessage.Path == $"/{ElasticsearchStub.Index}");
        }

        // A cluster without the index (a new or wiped one): the app creates it and backfills everything again.
        using (var replaced = new ElasticsearchStub().AcceptEverything(indexExists: false))
        {
            await using var host = await StartAsync(database, replaced.Url);
            await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

            var indexed = Indexed(replaced);
            Assert.Equal(28, indexed.Count(id => id.StartsWith("INSTRUMENT:", StringComparison.Ordinal)));
            Assert.Equal(3, indexed.Count(id => id.StartsWith("USER:", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task search_goes_to_elasticsearch_when_it_is_configured()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_search");
        using var stub = new ElasticsearchStub().AcceptEverything(indexExists: true);
        stub.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath($"/{ElasticsearchStub.Index}/_search").UsingPost())
            .RespondWith(ElasticsearchStub.Json("""
                {"took": 2, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                 "hits": {"total": {"value": 1, "relation": "eq"}, "max_score": 2.1, "hits": [
                   {"_index": "eventstore-search", "_id": "INSTRUMENT:0195f2a4-0000-7000-8000-00000000000a", "_score": 2.1,
                    "_source": {"type": "INSTRUMENT", "id": "0195f2a4-0000-7000-8000-00000000000a", "key": "INSTRUMENT:0195f2a4-0000-7000-8000-00000000000a",
                                "title": "AAPL Apple Inc.", "body": "USD", "terms": "AAPL Apple Inc USD", "readers": ["public"],
                                "updatedAt": "2026-11-24T09:00:00+00:00"},
                    "highlight": {"title": ["<mark>AAPL</mark> Apple Inc."]}, "sort": [2.1, "INSTRUMENT", "0195f2a4-0000-7000-8000-00000000000a"]}]}}
                """));
        await using var host = await StartAsync(database, stub.Url);
        var client = new GraphQLClient(host);
        var (id, token) = await client.RegisterAndLogInAsync("es.searcher");

        var hit = Assert.Single((await client.SearchAsync(token, "aapl", ["INSTRUMENT", "ORDER"])).Hits());

        Assert.Equal(("AAPL Apple Inc.", "<mark>AAPL</mark> Apple Inc. · USD"), (hit.Str("title"), hit.Str("highlight")));
        var sent = System.Text.Json.Nodes.JsonNode.Parse(stub.Server.LogEntries.Last(e => e.RequestMessage.Path.EndsWith("/_search", StringComparison.Ordinal)).RequestMessage.Body!)!;
        Assert.Equal($$$"""{"terms":{"readers":["public","user:{{{id:D}}}","role:trader"]}}""", sent["query"]!["bool"]!["filter"]![1]!.ToJsonString());
        Assert.Equal("""{"terms":{"type":["INSTRUMENT","ORDER"]}}""", sent["query"]!["bool"]!["filter"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task a_message_is_indexed_by_its_latest_text_and_deleted_on_redaction_and_on_erasure_of_its_author()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_messages");
        using var stub = new ElasticsearchStub().AcceptEverything(indexExists: true);
        await using var host = await StartAsync(database, stub.Url);
        var client = new GraphQLClient(host);
        var (authorId, author) = await client.RegisterAndLogInAsync("es.writer");
        var room = await client.CreateRoomAsync(author, "Desk");
        var kept = await client.PostOkAsync(author, room, "first draft");
        await client.EditOkAsync(author, kept, "final text");
        var gone = await client.PostOkAsync(author, room, "remove me");
        await client.DeleteOkAsync(author, gone);
        await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        var document = LastActions(stub)[$"MESSAGE:{kept}"];
        Assert.Equal(("index", "Desk", "final text"), (document.Action, document.Source!.Str("title"), document.Source!.Str("body")));
        Assert.Equal($$$"""["room:{{{room}}}"]""", document.Source!["readers"]!.ToJsonString());
        Assert.Equal("delete", LastActions(stub)[$"MESSAGE:{gone}"].Action);

        await client.EraseAsync(authorId);
        await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("delete", LastActions(stub)[$"MESSAGE:{kept}"].Action);
    }

    /// <summary>The last bulk action sent for each document id, with its source for an `index`.</summary>
    private static Dictionary<string, (string Action, JsonNode? Source)> LastActions(ElasticsearchStub stub)
    {
        var last = new Dictionary<string, (string, JsonNode?)>();
        foreach (var body in stub.BulkBodies)
        {
            var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
            for (var i = 0; i < lines.Count; i++)
            {
                var (action, meta) = lines[i].AsObject().Single();
                last[meta!["_id"]!.GetValue<string>()] = (action, action == "index" ? lines[++i] : null);
            }
        }

        return last;
    }

    private static IReadOnlyList<string> Indexed(ElasticsearchStub stub) =>
        [.. stub.BulkBodies.SelectMany(ElasticsearchStub.Actions).Where(a => a.Action == "index").Select(a => a.Id).Distinct()];

    private static async Task<long> CheckpointAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select coalesce(max(last_seq_id), 0) from eventstore.mt_event_progression where name like '{ElasticsearchIndexer.SubscriptionName}:%'", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<IAlbaHost> StartAsync(string database, string elasticsearchUrl) => AlbaHost.For<Program>(builder =>
    {
        builder.UseSetting("ConnectionStrings:Postgres", database);
        builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
        builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
        builder.UseSetting("Analytics:PseudonymKey", AppFixture.AnalyticsPseudonymKey);
        builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
        builder.UseSetting("Bootstrap:AdminPassword", AppFixture.AdminPassword);
        builder.UseSetting("MarketData:Enabled", "false");
        builder.UseSetting("Elasticsearch:Url", elasticsearchUrl);
        builder.UseSetting("Elasticsearch:RetryBaseDelay", "00:00:00.010");
        builder.UseSetting("Elasticsearch:MaxRetryDelay", "00:00:00.100");
        builder.UseSetting("Logging:LogLevel:Default", Environment.GetEnvironmentVariable("EVENTSTORE_TEST_LOG_LEVEL") ?? "Warning");
    });
}

[CollectionDefinition(Name)]
public sealed class ElasticsearchCollection
{
    public const string Name = "elasticsearch";
}
