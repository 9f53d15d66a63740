using EventStore.Domain.MarketData;
using EventStore.IntegrationTests.Infrastructure;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.Trading;

/// <summary>Trading preconditions through the public API; quotes are injected as the market-data pump sends them.</summary>
public static class TradingScenarios
{
    public const string OrderFields = "id status filledQuantity averageFillPrice fees version quantity limitPrice";

    public static async Task DepositAsync(this GraphQLClient client, string token, decimal amount) =>
        (await client.SendAsync("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", new { a = amount }, token))
        .Ok("deposit");

    public static Task<GraphQLResponse> PlaceAsync(this GraphQLClient client, string token, string clientOrderId, string side,
        string type, decimal quantity, decimal? limitPrice = null, string timeInForce = "GTC", string symbol = "AAPL") =>
        client.SendAsync(
            $"mutation($input: PlaceOrderInput!) {{ placeOrder(input: $input) {{ order {{ {OrderFields} }} }} }}",
            new { input = new { clientOrderId, symbol, side, type, quantity, limitPrice, timeInForce } }, token);

    /// <summary>Records a quote and waits until every order match it caused has run.</summary>
    public static async Task QuoteAsync(this AppFixture app, string symbol, decimal bid, decimal ask, decimal bidSize = 1000,
        decimal askSize = 1000) =>
        await app.Host.InvokeMessageAndWaitAsync(new RecordQuote(
            new Quote(symbol, bid, ask, bidSize, askSize, DateTimeOffset.UtcNow, "test")));

    public static async Task<System.Text.Json.Nodes.JsonNode> PortfolioAsync(this GraphQLClient client, AppFixture app, string token)
    {
        await app.WaitForProjectionsAsync();
        return (await client.SendAsync(
            "{ portfolio { cash reservedCash availableCash realizedPnl unrealizedPnl positions { symbol quantity averageCost realizedPnl } } }",
            token: token)).Ok("portfolio");
    }

    public static decimal Dec(this System.Text.Json.Nodes.JsonNode node, string name) => node[name]!.GetValue<decimal>();
}
