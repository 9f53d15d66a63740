using Alba;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Auditing;

/// <summary>Rebuilding an asynchronous projection from the log gives exactly the read models built live.</summary>
[Collection(AppCollection.Name)]
public sealed class ProjectionRebuildTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);
    private Guid[] _users = [];

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task every_async_projection_rebuilt_from_the_log_equals_its_live_read_models()
    {
        _users = await ScenarioAsync();
        var admin = await _client.LogInAsAdminAsync();
        await app.SettleAsync(); // including the fills' notifications, an integration event away
        // The list has the subscriptions too (the integration-event relay): those are not rebuilt.
        var names = (await _client.SendAsync("{ projections { name subscription sequence lastEventSequence } }", null, admin)).Ok("projections")
            .AsArray().Where(p => !p!["subscription"]!.GetValue<bool>()).Select(p => p!.Str("name")).ToList();
        Assert.Contains("UserProfile", names);
        var live = await ReadModelsAsync();
        Assert.Contains("mt_doc_userprofile: ", live, StringComparison.Ordinal);
        Assert.Contains("mt_doc_orderview: ", live, StringComparison.Ordinal);
        // Damage the read models behind the projections' backs: only a real replay repairs this.
        await app.SqlAsync("update eventstore.mt_doc_userprofile set data = jsonb_set(data, '{DisplayName}', '\"damaged\"')");
        await app.SqlAsync("delete from eventstore.mt_doc_orderview");

        foreach (var name in names)
        {
            var rebuilt = (await _client.SendAsync("mutation($name: String!) { rebuildProjection(name: $name) { name sequence lastEventSequence } }",
                new { name }, admin)).Ok("rebuildProjection");
            Assert.Equal(rebuilt["lastEventSequence"]!.GetValue<long>(), rebuilt["sequence"]!.GetValue<long>());
        }

        await app.WaitForProjectionsAsync();
        Assert.Equal(live, await ReadModelsAsync());
    }

    /// <summary>
    /// Found by the fuzz: Marten's rebuild stops the projection's agents and does not start them again, so the projection
    /// stayed STOPPED after `rebuildProjection`: later events never reached it and readiness was Unhealthy.
    /// </summary>
    [Fact]
    public async Task a_rebuilt_projection_keeps_running_so_later_events_reach_it_and_the_app_stays_ready()
    {
        (await _client.RegisterAsync("rebuild.before")).Ok("register");
        await app.WaitForProjectionsAsync();
        var admin = await _client.LogInAsAdminAsync();

        var rebuilt = (await _client.SendAsync("mutation { rebuildProjection(name: \"UserProfile\") { name status } }", null, admin))
            .Ok("rebuildProjection");
        var (after, _) = await _client.RegisterAndLogInAsync("rebuild.after");
        await app.WaitForProjectionsAsync(); // times out while the projection is stopped

        Assert.Equal("RUNNING", rebuilt.Str("status"));
        var profile = (await _client.SendAsync("query($id: ID!) { user(id: $id) { username } }", new { id = after }, admin)).Ok("user");
        Assert.Equal("rebuild.after", profile.Str("username"));
        var ready = await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(200);
        });
        Assert.Equal("Healthy", await ready.ReadAsTextAsync());
    }

    [Fact]
    public async Task a_rebuilt_projection_goes_on_processing_the_events_appended_after_it()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("rebuild.live");
        await _client.DepositAsync(trader, 1_000m);
        await app.WaitForProjectionsAsync();
        var admin = await _client.LogInAsAdminAsync();
        (await _client.SendAsync("mutation { rebuildProjection(name: \"CashAccountView\") { name } }", null, admin)).Ok("rebuildProjection");

        await _client.DepositAsync(trader, 250m);

        // Marten's rebuild leaves the projection's live agent stopped; before the mutation started it again, this wait
        // timed out with CashAccountView stuck at the rebuild's last event.
        await app.WaitForProjectionsAsync();
        var portfolio = (await _client.SendAsync("{ portfolio { cash } }", null, trader)).Ok("portfolio");
        Assert.Equal(1_250m, portfolio.Dec("cash"));
    }

    [Fact]
    public async Task only_admins_rebuild_and_an_unknown_name_is_a_validation_error()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("rebuild.trader");
        var (_, auditor) = await _client.RegisterWithRoleAsync("rebuild.auditor", "AUDITOR");
        const string Rebuild = "mutation($name: String!) { rebuildProjection(name: $name) { name } }";

        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync(Rebuild, new { name = "UserProfile" }, trader)).Codes);
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync(Rebuild, new { name = "UserProfile" }, auditor)).Codes);
        var unknown = await _client.SendAsync(Rebuild, new { name = "NoSuchProjection" }, await _client.LogInAsAdminAsync());
        Assert.Equal(["VALIDATION"], unknown.Codes);
        Assert.Equal("name", unknown.Errors[0]["extensions"]!["field"]!.GetValue<string>());
    }

    /// <summary>Users (including an erasure), deposits, fills, an open and a cancelled order.</summary>
    private async Task<Guid[]> ScenarioAsync()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("rebuild.alice");
        var (bobId, bob) = await _client.RegisterAndLogInAsync("rebuild.bob");
        (await _client.SendAsync("mutation { updateProfile(input: {displayName: \"Bob B.\", bio: \"FX\"}) { id } }", null, bob)).Ok("updateProfile");
        await _client.DepositAsync(alice, 10_000m);
        await _client.DepositAsync(bob, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(alice, "rb-1", "BUY", "MARKET", 5)).Ok("placeOrder");
        (await _client.PlaceAsync(bob, "rb-2", "BUY", "LIMIT", 2, 90m)).Ok("placeOrder");
        var cancel = (await _client.PlaceAsync(bob, "rb-3", "BUY", "LIMIT", 1, 80m)).Ok("placeOrder")["order"]!.Str("id");
        (await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { id } } }", new { id = cancel }, bob)).Ok("cancelOrder");
        await app.QuoteAsync("AAPL", 100.40m, 100.50m);
        (await _client.PlaceAsync(alice, "rb-4", "SELL", "MARKET", 2)).Ok("placeOrder");
        (await _client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }", new { id = aliceId },
            await _client.LogInAsAdminAsync())).Ok("eraseUser");
        return [aliceId, bobId];
    }

    /// <summary>Every document of every table (data only: Marten's own timestamps say when, not what).</summary>
    private async Task<string> ReadModelsAsync()
    {
        var lines = new List<string>();
        var tables = await app.DocumentTablesAsync();
        // Documents that commands and handlers write, not projections: a rebuild does not touch them. The dedupe rows of
        // the Notifications handler can also grow under the test when a message caused by an earlier test lands late.
        foreach (var table in tables.Where(t => t is not "mt_doc_useraccount" and not "mt_doc_personaldatakey"
                     and not "mt_doc_processedintegrationevent"))
        {
            // Notifications come from integration messages through a durable queue: one caused by an earlier test
            // can land after this test's reset. Only this scenario's users' notifications are compared.
            var where = table == "mt_doc_notificationview"
                ? " where " + string.Join(" or ", _users.Select(u => $"data::text like '%{u}%'"))
                : "";
            var rows = await app.ScalarListAsync($"select data::text from eventstore.{table}{where} order by id::text");
            lines.AddRange(rows.Select(row => $"{table}: {row}"));
        }

        return string.Join('\n', lines);
    }
}
