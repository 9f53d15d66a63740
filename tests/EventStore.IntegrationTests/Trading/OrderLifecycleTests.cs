using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Orders;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.Trading;

[Collection(AppCollection.Name)]
public sealed class OrderLifecycleTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_stale_quote_blocks_market_orders_until_a_fresh_quote_arrives()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("stale1");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        await app.Host.InvokeMessageAndWaitAsync(new MarkQuotesStale("AAPL", "circuit open", DateTimeOffset.UtcNow));

        var refused = await _client.PlaceAsync(token, "stale-mkt", "BUY", "MARKET", 1);
        Assert.Equal("QUOTE_STALE", refused.Errors.Single()["extensions"]!["reason"]!.GetValue<string>());

        await app.QuoteAsync("AAPL", 99.95m, 100.05m);
        var filled = (await _client.PlaceAsync(token, "fresh-mkt", "BUY", "MARKET", 1)).Ok("placeOrder")["order"]!;
        Assert.Equal("FILLED", filled.Str("status"));
    }

    [Fact]
    public async Task a_resting_limit_order_does_not_execute_against_a_stale_quote()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("stale2");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(token, "rest-1", "BUY", "LIMIT", 1, 99.00m)).Ok("placeOrder")["order"]!;

        await app.Host.InvokeMessageAndWaitAsync(new MatchOrder(Guid.Parse(order.Str("id")),
            new QuoteSnapshot { Id = "AAPL", QuoteId = Guid.NewGuid(), Bid = 98.00m, Ask = 98.50m, BidSize = 10, AskSize = 10,
                QuotedAt = DateTimeOffset.UtcNow, Stale = true }, 1m));

        await app.WaitForProjectionsAsync();
        var status = (await _client.SendAsync("query($id: ID!) { order(id: $id) { status } }", new { id = order.Str("id") }, token))
            .Ok("order").Str("status");
        Assert.Equal("OPEN", status);
    }

    [Fact]
    public async Task a_day_order_expires_at_the_session_end_and_releases_its_reservation()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("day1");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(token, "day-1", "BUY", "LIMIT", 10, 90.00m, "DAY")).Ok("placeOrder")["order"]!;

        // The expiry was scheduled for the session end at placement; deliver it now rather than wait for the clock.
        await app.Host.InvokeMessageAndWaitAsync(new ExpireOrder(Guid.Parse(order.Str("id"))));

        await app.WaitForProjectionsAsync();
        var expired = (await _client.SendAsync("query($id: ID!) { order(id: $id) { status history { event } } }",
            new { id = order.Str("id") }, token)).Ok("order");
        Assert.Equal("EXPIRED", expired.Str("status"));
        Assert.Equal(["placed", "expired"], expired["history"]!.AsArray().Select(h => h!.Str("event")));
        Assert.Equal(0m, (await _client.PortfolioAsync(app, token)).Dec("reservedCash"));
    }

    [Fact]
    public async Task an_unknown_symbol_is_not_found_and_records_nothing()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("lost1");
        var before = (await app.AllEventsAsync()).Count;

        var response = await _client.PlaceAsync(token, "nowhere", "BUY", "MARKET", 1, symbol: "NOPE");

        Assert.Equal(["NOT_FOUND"], response.Codes);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task an_invalid_order_is_a_validation_error_and_records_nothing()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("shape1");
        var before = (await app.AllEventsAsync()).Count;

        var response = await _client.PlaceAsync(token, "bad id with spaces", "BUY", "LIMIT", -1);

        Assert.Equal(["VALIDATION"], response.Codes.Distinct());
        Assert.Contains(response.Errors, e => e["extensions"]!["field"]!.GetValue<string>() == "input.quantity");
        Assert.Contains(response.Errors, e => e["extensions"]!["field"]!.GetValue<string>() == "input.clientOrderId");
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task the_instrument_list_and_quote_are_readable_and_halting_rejects_new_orders()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("halt1");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var instruments = (await _client.SendAsync("{ instruments { symbol tickSize lotSize tradable quote { bid ask } } }", token: token))
            .Ok("instruments").AsArray();
        Assert.True(instruments.Count >= 24);
        Assert.Equal(100.00m, instruments.Single(i => i!.Str("symbol") == "AAPL")!["quote"]!.Dec("ask"));

        var admin = await _client.LogInAsAdminAsync();
        (await _client.SendAsync("mutation { haltInstrument(symbol: \"AAPL\", reason: \"news pending\") { tradable } }", token: admin))
            .Ok("haltInstrument");
        var refused = await _client.PlaceAsync(token, "halted-1", "BUY", "LIMIT", 1, 99.00m);
        Assert.Equal("INSTRUMENT_NOT_TRADABLE", refused.Errors.Single()["extensions"]!["reason"]!.GetValue<string>());

        var traderHalt = await _client.SendAsync("mutation { resumeInstrument(symbol: \"AAPL\") { tradable } }", token: token);
        Assert.Equal(["FORBIDDEN"], traderHalt.Codes);
    }

    [Fact]
    public async Task simulated_feed_quotes_reach_the_api_and_a_market_order_fills_against_them()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("live1");
        await _client.DepositAsync(token, 100_000m);
        var pump = app.Host.Services.GetRequiredService<EventStore.Api.MarketData.MarketDataPump>();

        await app.Host.ExecuteAndWaitAsync(_ => pump.PumpOnceAsync(CancellationToken.None));

        var quote = (await _client.SendAsync("{ quote(symbol: \"NVDA\") { bid ask source stale } }", token: token)).Ok("quote");
        Assert.Equal("simulated", quote.Str("source"));
        Assert.True(quote.Dec("bid") < quote.Dec("ask"));
        var order = (await _client.PlaceAsync(token, "live-mkt", "BUY", "MARKET", 1, symbol: "NVDA")).Ok("placeOrder")["order"]!;
        Assert.Equal("FILLED", order.Str("status"));
        Assert.Equal(quote.Dec("ask"), order.Dec("averageFillPrice"));
    }

    [Fact]
    public async Task an_ioc_order_without_any_quote_is_cancelled_at_once()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("ioc0");
        await _client.DepositAsync(token, 10_000m);

        var order = (await _client.PlaceAsync(token, "ioc-noquote", "BUY", "LIMIT", 10, 100.00m, "IOC", symbol: "KO"))
            .Ok("placeOrder")["order"]!;

        Assert.Equal("CANCELLED", order.Str("status"));
        Assert.Equal(0m, (await _client.PortfolioAsync(app, token)).Dec("reservedCash"));
    }

    [Fact]
    public async Task an_amend_beyond_the_maximum_notional_is_refused()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("amend9");
        await _client.DepositAsync(token, 100_000_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(token, "big-1", "BUY", "LIMIT", 2, 90.00m)).Ok("placeOrder")["order"]!;

        var response = await _client.SendAsync(
            "mutation($id: ID!) { amendOrder(input: {orderId: $id, limitPrice: 600000.00}) { order { id } } }", new { id = order.Str("id") }, token);

        Assert.Equal(["CONFLICT"], response.Codes);
    }

    [Fact]
    public async Task cancelling_someone_elses_order_is_not_found_whatever_version_is_sent()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("owner9");
        var (_, other) = await _client.RegisterAndLogInAsync("other9");
        await _client.DepositAsync(owner, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(owner, "own-9", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder")["order"]!;

        var response = await _client.SendAsync(
            "mutation($id: ID!) { cancelOrder(input: {orderId: $id, expectedVersion: 7}) { order { id } } }", new { id = order.Str("id") }, other);
        var stale = await _client.SendAsync(
            "mutation($id: ID!) { cancelOrder(input: {orderId: $id, expectedVersion: 7}) { order { id } } }", new { id = order.Str("id") }, owner);

        Assert.Equal(["NOT_FOUND"], response.Codes);
        Assert.Equal(["CONFLICT"], stale.Codes);
    }
}
