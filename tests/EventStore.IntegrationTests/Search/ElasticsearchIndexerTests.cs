using System.Text.Json.Nodes;
using Alba;
using EventStore.Api.Search.Elasticsearch;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using WireMock.RequestBuilders;
using static EventStore.IntegrationTests.Search.ElasticsearchStub;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// Stubbed Elasticsearch in the real app: the indexer (a Marten subscription), start-up, rebuilds and search, against
/// WireMock standing in for the cluster (<see cref="ElasticsearchStub"/>; no Elasticsearch server can run here). One
/// stub across two hosts is one cluster, as an operator restarting nodes would see it. Each test has its own database.
/// </summary>
[Collection(ElasticsearchCollection.Name)]
public sealed class ElasticsearchIndexerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task a_new_cluster_gets_an_index_filled_from_the_log_served_only_once_caught_up_and_a_restart_resumes_from_the_checkpoint()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_index");
        using var cluster = new ElasticsearchStub();

        await using (var host = await StartAsync(database, cluster.Url))
        {
            await new GraphQLClient(host).RegisterAsync("es.alice");
            await host.WaitForNonStaleProjectionDataAsync(Wait);

            var indexed = Indexed(cluster);
            Assert.Equal(28, indexed.Count(id => id.StartsWith("INSTRUMENT:", StringComparison.Ordinal)));
            Assert.Equal(2, indexed.Count(id => id.StartsWith("USER:", StringComparison.Ordinal)));
            var served = Assert.Single(cluster.Indices);
            Assert.StartsWith($"{Alias}-v{ElasticsearchMappings.Version}-", served.Key, StringComparison.Ordinal);
            Assert.Equal([Alias, WriteAlias], served.Value.Order(StringComparer.Ordinal));
            // Every page of the first build went in before the read alias existed: searches never saw it half-built.
            Assert.Contains(cluster.BulkTargets, t => t.Served is null);
            Assert.All(cluster.BulkTargets.TakeWhile(t => t.Served is null), t => Assert.Equal(served.Key, t.Written));
            Assert.True(await CheckpointAsync(database) > 0);
        }

        cluster.Server.ResetLogEntries();
        var before = cluster.Indices.Keys.Single();
        await using (var host = await StartAsync(database, cluster.Url))
        {
            var (bob, _) = await new GraphQLClient(host).RegisterAndLogInAsync("es.bob");
            await host.WaitForNonStaleProjectionDataAsync(Wait);

            Assert.Equal([$"USER:{bob:D}"], Indexed(cluster));
            Assert.Equal([before], cluster.Indices.Keys);
            Assert.Empty(cluster.RequestsTo("POST", "/_aliases"));
        }

        // A wiped cluster: a new index, filled with the whole log again.
        using var wiped = new ElasticsearchStub();
        await using (var host = await StartAsync(database, wiped.Url))
        {
            await host.WaitForNonStaleProjectionDataAsync(Wait);

            var indexed = Indexed(wiped);
            Assert.Equal(28, indexed.Count(id => id.StartsWith("INSTRUMENT:", StringComparison.Ordinal)));
            Assert.Equal(3, indexed.Count(id => id.StartsWith("USER:", StringComparison.Ordinal)));
            Assert.NotNull(wiped.IndexHolding(Alias));
        }
    }

    [Fact]
    public async Task a_rebuild_fills_a_new_index_while_the_old_one_is_served_and_swaps_the_alias_in_one_update()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_rebuild");
        using var cluster = new ElasticsearchStub();
        await using var host = await StartAsync(database, cluster.Url);
        var client = new GraphQLClient(host);
        await client.RegisterAsync("es.carol");
        await host.WaitForNonStaleProjectionDataAsync(Wait);
        var old = cluster.IndexHolding(Alias)!;
        var admin = await client.LogInAsAdminAsync();
        Assert.Contains(ElasticsearchIndexer.SubscriptionName,
            (await client.SendAsync("{ projections { name } }", null, admin)).Ok("projections").AsArray().Select(p => p!.Str("name")));
        cluster.Server.ResetLogEntries();
        var bulksBefore = cluster.BulkTargets.Count;

        var rebuilt = (await client.SendAsync($$"""mutation { rebuildProjection(name: "{{ElasticsearchIndexer.SubscriptionName}}") { name sequence lastEventSequence } }""",
            null, admin)).Ok("rebuildProjection");

        Assert.Equal(rebuilt["lastEventSequence"]!.GetValue<long>(), rebuilt["sequence"]!.GetValue<long>());
        var next = cluster.IndexHolding(Alias)!;
        Assert.NotEqual(old, next);
        Assert.Equal([next], cluster.Indices.Keys);
        var rebuild = cluster.BulkTargets.Skip(bulksBefore).ToList();
        Assert.All(rebuild, t => Assert.Equal((next, old), t));
        Assert.Equal(28, Indexed(cluster).Count(id => id.StartsWith("INSTRUMENT:", StringComparison.Ordinal)));
        var updates = cluster.RequestsTo("POST", "/_aliases").Select(r => JsonNode.Parse(r.Body!)!["actions"]!.ToJsonString()).ToList();
        Assert.Equal(
            [
                $$$"""[{"add":{"alias":"{{{WriteAlias}}}","index":"{{{next}}}"}},{"remove":{"alias":"{{{WriteAlias}}}","index":"{{{old}}}"}}]""",
                $$$"""[{"add":{"alias":"{{{Alias}}}","index":"{{{next}}}"}},{"remove_index":{"index":"{{{old}}}"}}]""",
            ], updates);
        var order = cluster.Requests.Select(r => $"{r.Method} {Path(r)}").ToList();
        Assert.True(order.FindLastIndex(r => r.EndsWith("/_bulk", StringComparison.Ordinal)) < order.FindLastIndex(r => r == "POST /_aliases"));
    }

    [Fact]
    public async Task the_first_start_after_a_mappings_change_builds_a_new_index_and_swaps_to_it()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_mappings");
        using var cluster = new ElasticsearchStub().WithIndex($"{Alias}-v0-20260101000000000", Alias, WriteAlias);

        await using var host = await StartAsync(database, cluster.Url);
        await host.WaitForNonStaleProjectionDataAsync(Wait);

        var served = Assert.Single(cluster.Indices);
        Assert.StartsWith($"{Alias}-v{ElasticsearchMappings.Version}-", served.Key, StringComparison.Ordinal);
        Assert.Equal([Alias, WriteAlias], served.Value.Order(StringComparer.Ordinal));
        // Filled behind the write alias while the old index was still served; then served itself.
        Assert.All(cluster.BulkTargets, t => Assert.Equal(served.Key, t.Written));
        Assert.Equal($"{Alias}-v0-20260101000000000", cluster.BulkTargets[0].Served);
    }

    [Fact]
    public async Task a_document_elasticsearch_rejects_is_recorded_with_its_reason_and_the_rest_are_indexed()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_rejects");
        using var cluster = new ElasticsearchStub().Reject((_, source) => source["body"]?.GetValue<string>() == "es.mallory");
        await using var host = await StartAsync(database, cluster.Url);
        var client = new GraphQLClient(host);
        var (mallory, _) = await client.RegisterAndLogInAsync("es.mallory");
        var (trent, _) = await client.RegisterAndLogInAsync("es.trent");
        await host.WaitForNonStaleProjectionDataAsync(Wait);

        Assert.Contains($"USER:{trent:D}", Indexed(cluster));
        var rejection = Assert.Single(await RejectionsAsync(database));
        Assert.Equal(($"USER:{mallory:D}", 400, "document_parsing_exception"), (rejection.Key, rejection.Status, rejection.Type));
        Assert.Contains("failed to parse field [title]", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("Degraded\nelasticsearch-rejections: Degraded: 1 search document(s) rejected by Elasticsearch; see eventstore.search_index_rejections.",
            await ReadinessAsync(host));

        // Her erasure deletes her document: the delete succeeds, and the record (which quotes her name) goes with it.
        await client.EraseAsync(mallory);
        await host.WaitForNonStaleProjectionDataAsync(Wait);

        Assert.Empty(await RejectionsAsync(database));
        Assert.Equal("Healthy", await ReadinessAsync(host));
    }

    [Fact]
    public async Task search_goes_to_the_read_alias_with_the_callers_visibility_filter_room_memberships_included_inside_the_query()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_search");
        using var cluster = new ElasticsearchStub();
        cluster.Override(Request.Create().WithPath($"/{Alias}/_search").UsingPost()).RespondWith(Json("""
            {"took": 2, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
             "hits": {"max_score": 2.1, "hits": [
               {"_index": "eventstore-search-v1-20261124090000000", "_id": "INSTRUMENT:0195f2a4-0000-7000-8000-00000000000a", "_score": 2.1,
                "_source": {"type": "INSTRUMENT", "id": "0195f2a4-0000-7000-8000-00000000000a", "key": "INSTRUMENT:0195f2a4-0000-7000-8000-00000000000a",
                            "title": "AAPL Apple Inc.", "body": "USD", "terms": "AAPL Apple Inc USD", "readers": ["public"],
                            "updatedAt": "2026-11-24T09:00:00+00:00"},
                "highlight": {"title": ["<mark>AAPL</mark> Apple Inc."]}, "sort": [2.1, "INSTRUMENT", "0195f2a4-0000-7000-8000-00000000000a"]}]}}
            """));
        await using var host = await StartAsync(database, cluster.Url);
        var client = new GraphQLClient(host);
        var (id, token) = await client.RegisterAndLogInAsync("es.searcher");
        var room = await client.CreateRoomAsync(token, "Desk");
        await host.WaitForNonStaleProjectionDataAsync(Wait);

        var hit = Assert.Single((await client.SearchAsync(token, "aapl", ["INSTRUMENT", "ORDER", "MESSAGE"])).Hits());

        Assert.Equal(("AAPL Apple Inc.", "<mark>AAPL</mark> Apple Inc. · USD"), (hit.Str("title"), hit.Str("highlight")));
        var sent = JsonNode.Parse(cluster.RequestsTo("POST", $"/{Alias}/_search")[^1].Body!)!;
        // The caller's keys, with room:<id> for the one room they are a member of: messages of other rooms cannot match.
        Assert.Equal($$$"""{"terms":{"readers":["public","user:{{{id:D}}}","role:trader","room:{{{room}}}"]}}""",
            sent["query"]!["bool"]!["filter"]![1]!.ToJsonString());
        Assert.Equal("""{"terms":{"type":["INSTRUMENT","ORDER","MESSAGE"]}}""", sent["query"]!["bool"]!["filter"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task search_runs_on_postgresql_while_elasticsearch_serves_no_index()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_fallback");
        using var cluster = new ElasticsearchStub();
        cluster.Override(Request.Create().WithPath($"/{Alias}/_search").UsingPost())
            .RespondWith(Json(Error("index_not_found_exception", $"no such index [{Alias}]", 404), 404));
        await using var host = await StartAsync(database, cluster.Url);
        var client = new GraphQLClient(host);
        var (_, token) = await client.RegisterAndLogInAsync("es.early");
        await host.WaitForNonStaleProjectionDataAsync(Wait);

        var hit = Assert.Single((await client.SearchAsync(token, "aapl", ["INSTRUMENT"])).Hits());

        Assert.Equal("AAPL Apple Inc.", hit.Str("title"));
        Assert.Single(cluster.RequestsTo("POST", $"/{Alias}/_search"));
    }

    [Fact]
    public async Task a_message_is_indexed_by_its_latest_text_and_deleted_on_redaction_and_on_erasure_of_its_author()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_messages");
        using var cluster = new ElasticsearchStub();
        await using var host = await StartAsync(database, cluster.Url);
        var client = new GraphQLClient(host);
        var (authorId, author) = await client.RegisterAndLogInAsync("es.writer");
        var room = await client.CreateRoomAsync(author, "Desk");
        var kept = await client.PostOkAsync(author, room, "first draft");
        await client.EditOkAsync(author, kept, "final text");
        var gone = await client.PostOkAsync(author, room, "remove me");
        await client.DeleteOkAsync(author, gone);
        await host.WaitForNonStaleProjectionDataAsync(Wait);

        var document = LastActions(cluster)[$"MESSAGE:{kept}"];
        Assert.Equal(("index", "Desk", "final text"), (document.Action, document.Source!.Str("title"), document.Source!.Str("body")));
        Assert.Equal($$$"""["room:{{{room}}}"]""", document.Source!["readers"]!.ToJsonString());
        Assert.Equal("delete", LastActions(cluster)[$"MESSAGE:{gone}"].Action);

        await client.EraseAsync(authorId);
        await host.WaitForNonStaleProjectionDataAsync(Wait);

        Assert.Equal("delete", LastActions(cluster)[$"MESSAGE:{kept}"].Action);
        Assert.Equal("delete", LastActions(cluster)[$"USER:{authorId:D}"].Action);
    }

    /// <summary>
    /// The real entry point (Program.cs), run in this process with its settings as command-line arguments: it returns
    /// before any server starts, so nothing stays running.
    /// </summary>
    [Fact]
    public async Task an_elasticsearch_8_server_stops_the_app_at_start_up_with_a_message_naming_the_setting()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_oldserver");
        using var old = new ElasticsearchStub(version: "8.15.3");
        using var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        int exit;
        try
        {
            string[] args =
            [
                $"--ConnectionStrings:Postgres={database}", $"--Jwt:SigningKey={AppFixture.SigningKey}",
                $"--PersonalData:KeyEncryptionKey={AppFixture.PersonalDataKey}", $"--Analytics:PseudonymKey={AppFixture.AnalyticsPseudonymKey}",
                "--MarketData:Enabled=false", $"--Elasticsearch:Url={old.Url}", "--Logging:LogLevel:Default=Warning",
            ];
            exit = await Task.Run(() => (int)typeof(Program).Assembly.EntryPoint!.Invoke(null, [args])!).WaitAsync(Wait);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(1, exit);
        Assert.Contains("EventStore cannot start: Elasticsearch:Url points at Elasticsearch 8.15.3; this app needs Elasticsearch 9 or newer",
            stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(old.RequestsTo("PUT", $"/_index_template/{Alias}"));
    }

    /// <summary>The last bulk operation sent for each document id, with its source for an `index`.</summary>
    private static Dictionary<string, (string Action, JsonNode? Source)> LastActions(ElasticsearchStub cluster)
    {
        var last = new Dictionary<string, (string, JsonNode?)>();
        foreach (var body in cluster.BulkBodies)
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

    private static IReadOnlyList<string> Indexed(ElasticsearchStub cluster) =>
        [.. cluster.BulkBodies.SelectMany(Actions).Where(a => a.Action == "index").Select(a => a.Id).Distinct()];

    private static async Task<string> ReadinessAsync(IAlbaHost host) =>
        await (await host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(200);
        })).ReadAsTextAsync();

    private static async Task<IReadOnlyList<(string Key, int Status, string Type, string Reason)>> RejectionsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select doc_key, status, error_type, reason from {ElasticsearchRejections.TableName}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, int, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

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
        builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0"); // no login limits here (LoginRateLimitTests)
        builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
        builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
        builder.UseSetting("Analytics:PseudonymKey", AppFixture.AnalyticsPseudonymKey);
        builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
        // Tests log in with a password only; MfaTests turn the second factor on for themselves.
        builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
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
