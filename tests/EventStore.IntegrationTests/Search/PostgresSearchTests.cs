using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Search;

/// <summary>`search(...)` on the default backend: PostgreSQL full-text search over the search read model.</summary>
[Collection(AppCollection.Name)]
public sealed class PostgresSearchTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task registered_users_are_found_by_a_prefix_of_their_name_with_the_match_highlighted()
    {
        var (aliceId, _) = await _client.RegisterAndLogInAsync("search.alice");
        await _client.RegisterAndLogInAsync("search.bob");
        await app.WaitForProjectionsAsync();
        var admin = await _client.LogInAsAdminAsync();

        var hits = (await _client.SearchAsync(admin, "alic", ["USER"])).Hits();

        var hit = Assert.Single(hits);
        Assert.Equal(aliceId.ToString(), hit.Str("id"));
        Assert.Equal("USER", hit.Str("type"));
        Assert.Equal("search.alice", hit.Str("title"));
        Assert.True(hit["score"]!.GetValue<double>() > 0);
        // The whole dotted name is one token; the query's dotted prefix matches it and is highlighted.
        Assert.Contains("<mark>search.alice</mark>", (await _client.SearchAsync(admin, "search.al", ["USER"])).Hits()[0].Str("highlight"));
        Assert.Equal(2, (await _client.SearchAsync(admin, "search", ["USER"])).Hits().Count);
    }

    [Fact]
    public async Task instruments_are_found_by_symbol_or_name_prefix_by_every_logged_in_user()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("search.instruments");
        await app.WaitForProjectionsAsync();

        Assert.Equal("AAPL Apple Inc.", Assert.Single((await _client.SearchAsync(trader, "appl inc", ["INSTRUMENT"])).Titles()));
        Assert.Equal("MSFT Microsoft Corporation", (await _client.SearchAsync(trader, "msft", ["INSTRUMENT"])).Titles()[0]);
    }

    [Fact]
    public async Task a_title_match_ranks_above_a_match_in_the_rest_of_the_document()
    {
        var (_, inBody) = await _client.RegisterAndLogInAsync("ranker.body");
        (await _client.SendAsync("mutation { updateProfile(input: {displayName: \"Someone Else\"}) { id } }", null, inBody)).Ok("updateProfile");
        var (_, inTitle) = await _client.RegisterAndLogInAsync("zz.title");
        (await _client.SendAsync("mutation { updateProfile(input: {displayName: \"Ranker Prime\"}) { id } }", null, inTitle)).Ok("updateProfile");
        await app.WaitForProjectionsAsync();

        var hits = (await _client.SearchAsync(await _client.LogInAsAdminAsync(), "ranker", ["USER"])).Hits();

        Assert.Equal(["Ranker Prime", "Someone Else"], hits.Select(h => h.Str("title")));
        Assert.True(hits[0]["score"]!.GetValue<double>() > hits[1]["score"]!.GetValue<double>());
    }

    [Fact]
    public async Task a_trader_finds_only_their_own_orders()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("orders.alice");
        var (_, bob) = await _client.RegisterAndLogInAsync("orders.bob");
        await _client.DepositAsync(alice, 10_000m);
        await _client.DepositAsync(bob, 10_000m);
        (await _client.PlaceAsync(alice, "hunt-a1", "BUY", "LIMIT", 3, 50m)).Ok("placeOrder");
        (await _client.PlaceAsync(bob, "hunt-b1", "BUY", "LIMIT", 2, 50m)).Ok("placeOrder");
        await app.WaitForProjectionsAsync();

        var aliceHits = (await _client.SearchAsync(alice, "hunt", ["ORDER"])).Hits();
        var bobHits = (await _client.SearchAsync(bob, "hunt buy aapl")).Hits();

        Assert.Equal("BUY 3 AAPL LIMIT 50", Assert.Single(aliceHits).Str("title"));
        Assert.Equal("BUY 2 AAPL LIMIT 50", Assert.Single(bobHits).Str("title"));
        Assert.Contains("<mark>hunt</mark>-b1", bobHits[0].Str("highlight"));
        // Visibility is in the query: even an admin does not find other people's orders here (as with order(id)).
        Assert.Empty((await _client.SearchAsync(await _client.LogInAsAdminAsync(), "hunt", ["ORDER"])).Hits());
        Assert.Empty((await _client.SearchAsync(alice, "hunt-b1")).Hits());
    }

    [Fact]
    public async Task traders_find_only_themselves_among_users_and_analysts_are_refused_personal_data()
    {
        var (traderId, trader) = await _client.RegisterAndLogInAsync("visible.trader");
        await _client.RegisterAndLogInAsync("visible.other");
        var (analystId, analyst) = await _client.RegisterWithRoleAsync("visible.analyst", "ANALYST");
        await app.WaitForProjectionsAsync();

        Assert.Equal(traderId.ToString(), Assert.Single((await _client.SearchAsync(trader, "visible", ["USER"])).Hits()).Str("id"));
        Assert.Equal(3, (await _client.SearchAsync(await _client.LogInAsAdminAsync(), "visible", ["USER"])).Hits().Count);

        Assert.Equal(["FORBIDDEN"], (await _client.SearchAsync(analyst, "visible", ["USER"])).Codes);
        Assert.Empty((await _client.SearchAsync(analyst, "visible")).Hits());
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync("query($id: ID!) { user(id: $id) { username } }", new { id = traderId }, analyst)).Codes);
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync("{ users { edges { node { username } } } }", null, analyst)).Codes);
        Assert.NotEqual(Guid.Empty, analystId);
    }

    [Fact]
    public async Task an_erased_user_is_not_findable_and_a_rebuild_does_not_bring_them_back()
    {
        var (id, _) = await _client.RegisterAndLogInAsync("forget.me");
        await app.WaitForProjectionsAsync();
        var admin = await _client.LogInAsAdminAsync();
        Assert.Single((await _client.SearchAsync(admin, "forget", ["USER"])).Hits());

        (await _client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }", new { id }, admin)).Ok("eraseUser");
        await app.WaitForProjectionsAsync();
        Assert.Empty((await _client.SearchAsync(admin, "forget", ["USER"])).Hits());

        (await _client.SendAsync("mutation { rebuildProjection(name: \"SearchDocuments\") { name } }", null, admin)).Ok("rebuildProjection");
        await app.WaitForProjectionsAsync();
        Assert.Empty((await _client.SearchAsync(admin, "forget", ["USER"])).Hits());
        Assert.Equal(0L, await app.ScalarAsync("select count(*) from eventstore.search_documents where content ilike '%forget%'"));
    }

    [Fact]
    public async Task pages_follow_the_cursor_without_gaps_or_repeats()
    {
        for (var i = 1; i <= 5; i++)
        {
            await _client.RegisterAsync($"pager.user{i}");
        }

        await app.WaitForProjectionsAsync();
        var admin = await _client.LogInAsAdminAsync();
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var search = (await _client.SearchAsync(admin, "pager", ["USER"], first: 2, after: after)).Ok("search");
            seen.AddRange(search["edges"]!.AsArray().Select(e => e!["node"]!.Str("id")));
            pages++;
            if (!search["pageInfo"]!["hasNextPage"]!.GetValue<bool>())
            {
                break;
            }

            after = search["pageInfo"]!.Str("endCursor");
        }

        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public async Task a_bad_query_or_cursor_is_a_validation_error_and_anonymous_callers_are_refused()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("search.validation");

        Assert.Equal(["VALIDATION"], (await _client.SearchAsync(trader, "  ")).Codes);
        Assert.Equal(["VALIDATION"], (await _client.SearchAsync(trader, "-- ..")).Codes);
        Assert.Equal(["VALIDATION"], (await _client.SearchAsync(trader, "aapl", after: "bm90LWEtY3Vyc29y")).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(SearchScenarios.SearchQuery, new { q = "aapl" })).Codes);
    }

    [Fact]
    public async Task rebuilding_the_search_projection_reproduces_identical_documents()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("rebuild.search");
        await _client.DepositAsync(alice, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(alice, "rs-1", "BUY", "MARKET", 5)).Ok("placeOrder");
        (await _client.PlaceAsync(alice, "rs-2", "BUY", "LIMIT", 1, 80m)).Ok("placeOrder");
        var room = await _client.CreateRoomAsync(alice, "Rebuild desk", "PRIVATE");
        var edited = await _client.PostOkAsync(alice, room, "rebuild me once");
        await _client.EditOkAsync(alice, edited, "rebuild me twice");
        var deleted = await _client.PostOkAsync(alice, room, "rebuild never");
        await _client.DeleteOkAsync(alice, deleted);
        await app.WaitForProjectionsAsync();
        const string Rows = "select doc_type || ' ' || doc_id || ' ' || title || ' | ' || body || ' | ' || content || ' | ' "
            + "|| readers::text || ' ' || updated_at::text from eventstore.search_documents order by doc_type, doc_id";
        var live = await app.ScalarListAsync(Rows);
        Assert.Contains(live, row => row.StartsWith("ORDER", StringComparison.Ordinal) && row.Contains("rs-1 Filled", StringComparison.Ordinal));
        var message = Assert.Single(live, row => row.StartsWith("MESSAGE", StringComparison.Ordinal));
        Assert.StartsWith($"MESSAGE {edited} Rebuild desk | rebuild me twice |", message, StringComparison.Ordinal);
        await app.SqlAsync("update eventstore.search_documents set title = 'damaged'; delete from eventstore.search_documents where doc_type in ('ORDER', 'MESSAGE')");

        var admin = await _client.LogInAsAdminAsync();
        (await _client.SendAsync("mutation { rebuildProjection(name: \"SearchDocuments\") { name } }", null, admin)).Ok("rebuildProjection");
        await app.WaitForProjectionsAsync();

        Assert.Equal(live, await app.ScalarListAsync(Rows));
    }
}
