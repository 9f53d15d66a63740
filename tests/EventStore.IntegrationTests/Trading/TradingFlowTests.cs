using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Trading;

// Default fee schedule: max(1.00, 0.05% of notional) per fill, rounded to cents.
[Collection(AppCollection.Name)]
public sealed class TradingFlowTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_round_trip_leaves_cash_position_and_realized_pnl_exactly_right()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader1");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.98m, 100.00m);

        var buy = (await _client.PlaceAsync(token, "buy-1", "BUY", "LIMIT", 10, 99.50m)).Ok("placeOrder")["order"]!;
        Assert.Equal("OPEN", buy.Str("status"));

        await app.QuoteAsync("AAPL", 99.30m, 99.40m);   // the ask crosses the limit: fill 10 @ 99.40, fee 1.00

        var afterBuy = await _client.PortfolioAsync(app, token);
        Assert.Equal(9_005.00m, afterBuy.Dec("cash"));       // 10,000 − (994.00 + 1.00)
        Assert.Equal(0m, afterBuy.Dec("reservedCash"));      // 996.00 reserved, 995.00 consumed, 1.00 released
        var position = afterBuy["positions"]![0]!;
        Assert.Equal(10m, position.Dec("quantity"));
        Assert.Equal(99.5m, position.Dec("averageCost"));    // (994.00 + 1.00) / 10

        (await _client.PlaceAsync(token, "sell-1", "SELL", "LIMIT", 10, 101.00m)).Ok("placeOrder");
        await app.QuoteAsync("AAPL", 101.50m, 101.60m);  // the bid crosses: fill 10 @ 101.50, fee 1.00

        var afterSell = await _client.PortfolioAsync(app, token);
        Assert.Equal(10_019.00m, afterSell.Dec("cash"));     // 9,005 + 1,015.00 − 1.00
        Assert.Equal(19.00m, afterSell.Dec("realizedPnl"));  // 10 × (101.50 − 99.50) − 1.00
        Assert.Equal(0m, afterSell["positions"]![0]!.Dec("quantity"));
    }

    [Fact]
    public async Task a_market_buy_fills_at_the_ask_and_records_the_quote()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader2");
        await _client.DepositAsync(token, 5_000m);
        await app.QuoteAsync("MSFT", 409.90m, 410.10m);

        var order = (await _client.PlaceAsync(token, "mkt-1", "BUY", "MARKET", 5, symbol: "MSFT")).Ok("placeOrder")["order"]!;

        Assert.Equal("FILLED", order.Str("status"));
        Assert.Equal(410.10m, order.Dec("averageFillPrice"));
        await app.WaitForProjectionsAsync();
        var fill = (await _client.SendAsync("{ fills { edges { node { price quantity quoteBid quoteAsk quoteId } } } }", token: token))
            .Ok("fills")["edges"]![0]!["node"]!;
        Assert.Equal(410.10m, fill.Dec("quoteAsk"));
        Assert.Equal(409.90m, fill.Dec("quoteBid"));

        var (_, someoneElse) = await _client.RegisterAndLogInAsync("tapewatcher");
        var tape = (await _client.SendAsync("{ tradeTape(symbol: \"MSFT\") { symbol quantity price side } }", token: someoneElse))
            .Ok("tradeTape").AsArray();
        Assert.Equal(410.10m, Assert.Single(tape)!.Dec("price"));
    }

    [Fact]
    public async Task an_ioc_partial_fill_cancels_its_remainder_and_releases_its_reservation()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader3");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m, askSize: 4);

        var order = (await _client.PlaceAsync(token, "ioc-1", "BUY", "LIMIT", 10, 100.00m, "IOC")).Ok("placeOrder")["order"]!;

        Assert.Equal("CANCELLED", order.Str("status"));
        Assert.Equal(4m, order.Dec("filledQuantity"));
        var portfolio = await _client.PortfolioAsync(app, token);
        Assert.Equal(0m, portfolio.Dec("reservedCash"));
        Assert.Equal(10_000m - 400.00m - 1.00m, portfolio.Dec("cash"));
    }

    [Fact]
    public async Task cancelling_after_a_partial_fill_releases_exactly_the_unfilled_reservation()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader4");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m, askSize: 3);

        var order = (await _client.PlaceAsync(token, "gtc-1", "BUY", "LIMIT", 10, 100.00m)).Ok("placeOrder")["order"]!;
        Assert.Equal("PARTIALLY_FILLED", order.Str("status"));

        var cancelled = (await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { status } } }",
            new { id = order.Str("id") }, token)).Ok("cancelOrder")["order"]!;
        Assert.Equal("CANCELLED", cancelled.Str("status"));

        var events = await app.AllEventsAsync();
        var reserved = events.Select(e => e.Data).OfType<CashReserved>().Single().Amount;       // 10 × 100 + 1.00 fee
        var consumed = events.Select(e => e.Data).OfType<BuyFillSettled>().Single().Cost;       // 3 × 100 + 1.00 fee
        var released = events.Select(e => e.Data).OfType<CashReservationReleased>().Single().Amount;
        Assert.Equal(1_001.00m, reserved);
        Assert.Equal(301.00m, consumed);
        Assert.Equal(reserved - consumed, released);
        Assert.Equal(0m, (await _client.PortfolioAsync(app, token)).Dec("reservedCash"));
    }

    [Fact]
    public async Task amending_reduces_quantity_and_moves_the_limit_with_the_reservation()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader5");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(token, "amend-1", "BUY", "LIMIT", 10, 90.00m)).Ok("placeOrder")["order"]!;

        var amended = (await _client.SendAsync(
            "mutation($id: ID!, $v: Int) { amendOrder(input: {orderId: $id, quantity: 5, limitPrice: 95.00, expectedVersion: $v}) { order { quantity limitPrice version } } }",
            new { id = order.Str("id"), v = order["version"]!.GetValue<int>() }, token)).Ok("amendOrder")["order"]!;

        Assert.Equal(5m, amended.Dec("quantity"));
        Assert.Equal(95.00m, amended.Dec("limitPrice"));
        Assert.Equal(476.00m, (await _client.PortfolioAsync(app, token)).Dec("reservedCash")); // 5 × 95 + 1.00
        var increase = await _client.SendAsync(
            "mutation($id: ID!) { amendOrder(input: {orderId: $id, quantity: 50}) { order { quantity } } }", new { id = order.Str("id") }, token);
        Assert.Equal(["CONFLICT"], increase.Codes);
    }

    [Fact]
    public async Task two_concurrent_cancels_of_one_order_one_wins_the_other_gets_conflict()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader6");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(token, "race-1", "BUY", "LIMIT", 10, 90.00m)).Ok("placeOrder")["order"]!;
        var cancel = "mutation($id: ID!, $v: Int) { cancelOrder(input: {orderId: $id, expectedVersion: $v}) { order { status } } }";
        var variables = new { id = order.Str("id"), v = order["version"]!.GetValue<int>() };

        var results = await Task.WhenAll(_client.SendAsync(cancel, variables, token), _client.SendAsync(cancel, variables, token));

        Assert.Single(results, r => r.Errors.Count == 0);
        Assert.Single(results, r => r.Codes.SequenceEqual(["CONFLICT"]));
        Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<OrderCancelled>());
    }

    [Fact]
    public async Task insufficient_funds_records_a_rejection_and_reserves_nothing()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader7");
        await _client.DepositAsync(token, 100m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);

        var response = await _client.PlaceAsync(token, "poor-1", "BUY", "LIMIT", 10, 100.00m);

        Assert.Equal(["ORDER_REJECTED"], response.Codes);
        Assert.Equal("INSUFFICIENT_BUYING_POWER", response.Errors[0]["extensions"]!["reason"]!.GetValue<string>());
        Assert.Equal("REJECTED", response.Data!["placeOrder"]!["order"]!.Str("status"));
        var events = (await app.AllEventsAsync()).Select(e => e.Data).ToList();
        Assert.Single(events.OfType<OrderRejected>());
        Assert.Empty(events.OfType<CashReserved>());
    }

    [Fact]
    public async Task a_trader_asking_for_another_traders_order_gets_not_found()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("owner1");
        var (_, other) = await _client.RegisterAndLogInAsync("snoop1");
        await _client.DepositAsync(owner, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(owner, "mine-1", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder")["order"]!;
        await app.WaitForProjectionsAsync();

        var response = await _client.SendAsync("query($id: ID!) { order(id: $id) { id } }", new { id = order.Str("id") }, other);
        var cancel = await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { id } } }",
            new { id = order.Str("id") }, other);

        Assert.Equal(["NOT_FOUND"], response.Codes);
        Assert.Equal(["NOT_FOUND"], cancel.Codes);
        var mine = (await _client.SendAsync("{ orders { edges { node { id } } } }", token: other)).Ok("orders");
        Assert.Empty(mine["edges"]!.AsArray());
    }

    [Fact]
    public async Task a_reused_client_order_id_is_refused()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader8");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(token, "same-id", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder");

        var again = await _client.PlaceAsync(token, "same-id", "BUY", "LIMIT", 1, 91.00m);

        Assert.Equal(["CONFLICT"], again.Codes);
        Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<OrderPlaced>());
    }

    [Fact]
    public async Task selling_more_than_held_is_rejected_no_short_selling()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader9");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);

        var response = await _client.PlaceAsync(token, "short-1", "SELL", "MARKET", 1);

        Assert.Equal("INSUFFICIENT_SHARES", response.Errors[0]["extensions"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task withdrawing_more_than_is_not_reserved_is_refused()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader10");
        await _client.DepositAsync(token, 1_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(token, "hold-1", "BUY", "LIMIT", 5, 100.00m)).Ok("placeOrder"); // 501.00 reserved... fills at once
        (await _client.PlaceAsync(token, "hold-2", "BUY", "LIMIT", 4, 90.00m)).Ok("placeOrder");  // 361.00 reserved

        var response = await _client.SendAsync("mutation { withdraw(input: {amount: 200}) { balance } }", token: token);

        Assert.Equal(["CONFLICT"], response.Codes); // 1,000 − 501 spent − 361 reserved = 138 available
    }
}
