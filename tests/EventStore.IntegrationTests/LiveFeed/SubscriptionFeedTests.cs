using EventStore.Api.GraphQL;
using EventStore.Api.LiveFeed;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventStore.IntegrationTests.LiveFeed;

/// <summary>
/// The subscription resolvers and the live feed, driven through the GraphQL executer (the WebSocket transport has its
/// own tests): live delivery, replay from a cursor without loss or duplicates, and per-user filtering.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SubscriptionFeedTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task quotes_arrive_live_and_a_resubscription_with_after_gets_exactly_what_was_missed()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("watcher");
        await using (var live = await SubscribeAsync("subscription { quotes(symbols: [\"AAPL\"]) { sequence symbol bid } }", token))
        {
            await app.QuoteAsync("AAPL", 100.00m, 100.10m);
            await app.QuoteAsync("MSFT", 400.00m, 400.10m); // not asked for
            var first = await live.NextAsync();
            Assert.Equal(100.00m, first["bid"]!.GetValue<decimal>());
            var cursor = first["sequence"]!.GetValue<string>();

            await live.DisposeAsync(); // disconnect
            await app.QuoteAsync("AAPL", 101.00m, 101.10m);
            await app.QuoteAsync("AAPL", 102.00m, 102.10m);

            await using var resumed = await SubscribeAsync(
                "subscription($after: String) { quotes(symbols: [\"AAPL\"], after: $after) { sequence bid } }", token, new { after = cursor });
            await app.QuoteAsync("AAPL", 103.00m, 103.10m);
            var bids = new List<decimal>();
            for (var i = 0; i < 3; i++)
            {
                bids.Add((await resumed.NextAsync())["bid"]!.GetValue<decimal>());
            }

            Assert.Equal([101.00m, 102.00m, 103.00m], bids); // missed ones in order, no duplicate of 100, then live
        }
    }

    [Fact]
    public async Task a_trader_only_receives_updates_of_their_own_orders()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice-live");
        var (_, bob) = await _client.RegisterAndLogInAsync("bob-live");
        await _client.DepositAsync(alice, 10_000m);
        await _client.DepositAsync(bob, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        await using var aliceUpdates = await SubscribeAsync("subscription { myOrderUpdates { event order { clientOrderId status } } }", alice);

        (await _client.PlaceAsync(bob, "bob-1", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder");
        (await _client.PlaceAsync(alice, "alice-1", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder");

        var update = await aliceUpdates.NextAsync();
        Assert.Equal("alice-1", update["order"]!["clientOrderId"]!.GetValue<string>());
        Assert.Equal("order_placed", update["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_order_first_seen_by_an_event_that_does_not_name_its_owner_is_still_told_apart()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice-cancel");
        var (_, bob) = await _client.RegisterAndLogInAsync("bob-cancel");
        await _client.DepositAsync(alice, 10_000m);
        await _client.DepositAsync(bob, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        // A subscription without `after` starts where the live feed has delivered to: it must start past the placements,
        // or (on a loaded machine) they would still arrive as new events. The feed delivers in order, so once an
        // auditor's subscription opened before them has received both, the feed is past them.
        await using var placements = await SubscribeAsync(
            "subscription { events(filter: {eventTypes: [\"order_placed\"]}) { sequence } }", await _client.LogInAsAdminAsync());
        var bobs = (await _client.PlaceAsync(bob, "bob-c", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder")["order"]!.Str("id");
        var alices = (await _client.PlaceAsync(alice, "alice-c", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder")["order"]!.Str("id");
        await app.WaitForProjectionsAsync();
        await placements.NextAsync();
        await placements.NextAsync();
        // Subscribed after the placements: the first event of each order it sees is a cancellation, which has no user id.
        await using var aliceUpdates = await SubscribeAsync("subscription { myOrderUpdates { event order { clientOrderId status } } }", alice);

        foreach (var (id, token) in new[] { (bobs, bob), (alices, alice) })
        {
            (await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { status } } }", new { id }, token))
                .Ok("cancelOrder");
        }

        var update = await aliceUpdates.NextAsync();
        Assert.Equal("alice-c", update["order"]!["clientOrderId"]!.GetValue<string>());
        Assert.Equal("order_cancelled", update["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_global_event_subscription_is_for_auditors_only()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("trader-live");
        var result = await ExecuteAsync("subscription { events { sequence } }", trader, null);

        Assert.Equal("FORBIDDEN", result.Errors!.Single().Code);
    }

    [Fact]
    public async Task a_deposit_pushes_the_new_portfolio_to_its_owner_only()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("alice-pf");
        var (_, bob) = await _client.RegisterAndLogInAsync("bob-pf");
        await using var aliceFeed = await SubscribeAsync("subscription { portfolioChanged { event portfolio { cash } } }", alice);

        await _client.DepositAsync(bob, 5m);
        await _client.DepositAsync(alice, 42m);

        var update = await aliceFeed.NextAsync();
        Assert.Equal("cash_account_opened", update["event"]!.GetValue<string>());
        var next = await aliceFeed.NextAsync();
        Assert.Equal("cash_deposited", next["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_feed_reads_nothing_while_nobody_listens_and_a_late_subscriber_still_misses_nothing()
    {
        var feed = app.Host.Services.GetRequiredService<EventFeed>();
        using var polls = new HighWaterMarkReads(new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!);
        var (_, token) = await _client.RegisterAndLogInAsync("latecomer");
        await app.QuoteAsync("AAPL", 200.00m, 200.10m);
        var quiet = await app.ScalarAsync("select max(seq_id) from eventstore.mt_events");
        await polls.WaitUntilAsync(() => feed.Subscribers == 0 && feed.Position >= quiet,
            () => $"The feed has {feed.Subscribers} subscribers and is at {feed.Position}, not past {quiet}.");
        var readBefore = feed.PagesRead;

        await app.QuoteAsync("AAPL", 201.00m, 201.10m);
        await app.QuoteAsync("AAPL", 202.00m, 202.10m);
        var unheard = await app.ScalarAsync("select max(seq_id) from eventstore.mt_events");
        await polls.WaitUntilAsync(() => feed.Position >= unheard,
            () => $"The feed is at {feed.Position}, not past {unheard}.");
        Assert.Equal(readBefore, feed.PagesRead); // moved past them without reading a page

        // A subscriber resuming from before them gets them from the log, then the next one live, once each and in order.
        await using var resumed = await SubscribeAsync(
            "subscription($after: String) { quotes(symbols: [\"AAPL\"], after: $after) { bid } }", token,
            new { after = quiet.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await app.QuoteAsync("AAPL", 203.00m, 203.10m);
        var bids = new List<decimal>();
        for (var i = 0; i < 3; i++)
        {
            bids.Add((await resumed.NextAsync())["bid"]!.GetValue<decimal>());
        }

        Assert.Equal([201.00m, 202.00m, 203.00m], bids);
        Assert.True(feed.PagesRead > readBefore); // someone listens: the feed reads again
    }

    private Task<ExecutionResult> ExecuteAsync(string query, string token, object? variables) =>
        SubscriptionProbe.ExecuteAsync(app.Host, query, token, variables);

    private Task<SubscriptionProbe> SubscribeAsync(string query, string token, object? variables = null) =>
        SubscriptionProbe.SubscribeAsync(app.Host, query, token, variables);
}
