using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Trading;

/// <summary>
/// cancelOrder and amendOrder answer with the order as their handler decided it, not read back
/// (docs/performance.md#answer-from-the-decision): every field of the answer must equal what `order(id)` returns right after
/// (served live from the order's events) and once the async projection has written its row. Refusals answer as before:
/// the error, no order, nothing appended.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OrderAnswerTests(AppFixture app) : IAsyncLifetime
{
    /// <summary>Every field the Order type has.</summary>
    private const string AllFields =
        "id clientOrderId symbol side type timeInForce quantity limitPrice filledQuantity averageFillPrice fees status "
        + "rejectionReason placedAt updatedAt version history { event status at detail }";

    private const string Cancel =
        $"mutation($id: ID!, $v: Int) {{ cancelOrder(input: {{orderId: $id, expectedVersion: $v}}) {{ order {{ {AllFields} }} }} }}";

    private const string Amend =
        $"mutation($id: ID!, $q: Decimal, $p: Decimal, $v: Int) {{ amendOrder(input: {{orderId: $id, quantity: $q, limitPrice: $p, expectedVersion: $v}}) {{ order {{ {AllFields} }} }} }}";

    private const string Read = $"query($id: ID!) {{ order(id: $id) {{ {AllFields} }} }}";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task cancelling_a_partly_filled_buy_answers_exactly_what_the_order_query_reads()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("answer-cancel");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m, askSize: 3);
        var placed = (await _client.PlaceAsync(token, "Answer-Cancel.1", "BUY", "LIMIT", 10, 100.00m)).Ok("placeOrder")["order"]!;
        Assert.Equal("PARTIALLY_FILLED", placed.Str("status"));

        var answer = (await _client.SendAsync(Cancel, new { id = placed.Str("id"), v = placed["version"]!.GetValue<int>() }, token))
            .Ok("cancelOrder")["order"]!;

        Assert.Equal("CANCELLED", answer.Str("status"));
        Assert.Equal("Answer-Cancel.1", answer.Str("clientOrderId"));
        Assert.Equal(3m, answer.Dec("filledQuantity"));
        Assert.Equal(100.00m, answer.Dec("averageFillPrice"));
        Assert.Equal(["placed", "filled", "cancelled"], answer["history"]!.AsArray().Select(h => h!.Str("event")));
        await SameAsReadAsync(token, answer);
    }

    [Fact]
    public async Task amending_a_partly_filled_sell_answers_exactly_what_the_order_query_reads()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("answer-amend");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(token, "answer-amend-buy", "BUY", "MARKET", 10, timeInForce: "IOC")).Ok("placeOrder");
        await app.QuoteAsync("AAPL", 99.90m, 100.00m, bidSize: 4);
        var placed = (await _client.PlaceAsync(token, "answer:amend-sell", "SELL", "LIMIT", 10, 99.90m)).Ok("placeOrder")["order"]!;
        Assert.Equal("PARTIALLY_FILLED", placed.Str("status"));

        var answer = (await _client.SendAsync(Amend,
            new { id = placed.Str("id"), q = 8m, p = 101.25m, v = placed["version"]!.GetValue<int>() }, token)).Ok("amendOrder")["order"]!;

        Assert.Equal("PARTIALLY_FILLED", answer.Str("status"));
        Assert.Equal("answer:amend-sell", answer.Str("clientOrderId"));
        Assert.Equal(8m, answer.Dec("quantity"));
        Assert.Equal(101.25m, answer.Dec("limitPrice"));
        Assert.Equal(4m, answer.Dec("filledQuantity"));
        Assert.Equal(placed["version"]!.GetValue<int>() + 1, answer["version"]!.GetValue<int>());
        await SameAsReadAsync(token, answer);

        // Then cancelled: the answer carries the amend and the cancel on top of the fills.
        var cancelled = (await _client.SendAsync(Cancel, new { id = placed.Str("id"), v = (int?)null }, token)).Ok("cancelOrder")["order"]!;
        Assert.Equal(["placed", "filled", "amended", "cancelled"], cancelled["history"]!.AsArray().Select(h => h!.Str("event")));
        await SameAsReadAsync(token, cancelled);
    }

    [Fact]
    public async Task an_amend_that_changes_nothing_answers_the_order_as_it_stands()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("answer-noop");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var placed = (await _client.PlaceAsync(token, "answer-noop-1", "BUY", "LIMIT", 5, 90.00m)).Ok("placeOrder")["order"]!;
        var before = await TradingEventCountAsync();

        var answer = (await _client.SendAsync(Amend, new { id = placed.Str("id"), q = 5m, p = (decimal?)null, v = (int?)null }, token))
            .Ok("amendOrder")["order"]!;

        Assert.Equal(before, await TradingEventCountAsync());
        Assert.Equal(placed["version"]!.GetValue<int>(), answer["version"]!.GetValue<int>());
        Assert.Equal("OPEN", answer.Str("status"));
        await SameAsReadAsync(token, answer);
    }

    [Fact]
    public async Task refused_cancels_and_amends_answer_the_error_and_no_order_and_append_nothing()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("answer-refused");
        var (_, other) = await _client.RegisterAndLogInAsync("answer-other");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var open = (await _client.PlaceAsync(token, "answer-refused-1", "BUY", "LIMIT", 5, 90.00m)).Ok("placeOrder")["order"]!;
        var filled = (await _client.PlaceAsync(token, "answer-refused-2", "BUY", "MARKET", 1, timeInForce: "IOC")).Ok("placeOrder")["order"]!;
        var before = await TradingEventCountAsync();

        Refused(await _client.SendAsync(Cancel, new { id = open.Str("id"), v = (int?)null }, other), "cancelOrder",
            "NOT_FOUND", "Order not found.");
        Refused(await _client.SendAsync(Cancel, new { id = Guid.NewGuid(), v = (int?)null }, token), "cancelOrder",
            "NOT_FOUND", "Order not found.");
        Refused(await _client.SendAsync(Cancel, new { id = open.Str("id"), v = 9 }, token), "cancelOrder",
            "CONFLICT", "The order is at version 1, not 9: reload it and retry.");
        Refused(await _client.SendAsync(Cancel, new { id = filled.Str("id"), v = (int?)null }, token), "cancelOrder",
            "CONFLICT", "The order is filled and can no longer change.");
        Refused(await _client.SendAsync(Amend, new { id = open.Str("id"), q = 6m, p = (decimal?)null, v = (int?)null }, token),
            "amendOrder", "CONFLICT", "An amend can only reduce the quantity; place a new order to buy or sell more.");
        Refused(await _client.SendAsync(Amend, new { id = open.Str("id"), q = (decimal?)null, p = 9_000.00m, v = (int?)null }, token),
            "amendOrder", "CONFLICT", null, "INSUFFICIENT_FUNDS");
        Refused(await _client.SendAsync(Amend, new { id = open.Str("id"), q = 4m, p = (decimal?)null, v = (int?)null }, other),
            "amendOrder", "NOT_FOUND", "Order not found.");

        Assert.Equal(before, await TradingEventCountAsync());
        var still = (await _client.SendAsync(Read, new { id = open.Str("id") }, token)).Ok("order");
        Assert.Equal("OPEN", still.Str("status"));
        Assert.Equal(5m, still.Dec("quantity"));
    }

    /// <summary>
    /// The trading events in the store: fills notify their owner afterwards, in the background (other modules' events), so
    /// "nothing appended" is about this module's streams only.
    /// </summary>
    private async Task<int> TradingEventCountAsync() =>
        (await app.AllEventsAsync()).Count(e => e.Data.GetType().Namespace!.StartsWith("EventStore.Domain.Trading", StringComparison.Ordinal));

    private static void Refused(GraphQLResponse response, string field, string code, string? message, string? reason = null)
    {
        Assert.Equal([code], response.Codes);
        Assert.Equal(reason, response.Errors.Single()["extensions"]!["reason"]?.GetValue<string>());
        if (message is not null)
        {
            Assert.Equal(message, response.Errors.Single()["message"]!.GetValue<string>());
        }

        Assert.True(response.Data is null || response.Data[field] is null, $"A refused {field} answered an order: {response.Body}");
    }

    /// <summary>The answer, field by field, against `order(id)` at once and again once the projection has caught up.</summary>
    private async Task SameAsReadAsync(string token, JsonNode answer)
    {
        var id = answer.Str("id");
        var live = (await _client.SendAsync(Read, new { id }, token)).Ok("order");
        Assert.Equal(live.ToJsonString(), answer.ToJsonString());

        await app.WaitForProjectionsAsync();
        var projected = (await _client.SendAsync(Read, new { id }, token)).Ok("order");
        Assert.Equal(projected.ToJsonString(), answer.ToJsonString());
    }
}
