using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.MarketData;

/// <summary>
/// With the simulated feed a node reports ready only once every instrument has a quote: right after `dotnet run`
/// reported ready, a market order was rejected with "There is no quote for AAPL yet" (issue 19).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FirstQuotesReadinessTests(AppFixture app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task once_a_node_with_the_simulated_feed_is_ready_every_instrument_has_a_quote_and_a_market_order_fills()
    {
        // A tick interval far longer than the test: only the first tick, at start, can have quoted anything.
        await using var node = await app.StartSecondNodeAsync(("MarketData:Enabled", "true"), ("MarketData:Provider", "simulated"),
            ("MarketData:TickInterval", "01:00:00"));
        using var http = node.Server.CreateClient();
        await ReadyAsync(http);

        var client = new GraphQLClient(node);
        var (_, trader) = await client.RegisterAndLogInAsync("first-quotes");
        var instruments = (await client.SendAsync("{ instruments { symbol } }", token: trader)).Ok("instruments")!.AsArray();
        Assert.NotEmpty(instruments);
        foreach (var symbol in instruments.Select(i => i!.Str("symbol")))
        {
            var quote = (await client.SendAsync("query($s: String!) { quote(symbol: $s) { bid ask } }", new { s = symbol }, trader));
            Assert.True(quote.Errors.Count == 0 && quote.Data?["quote"] is not null, $"{symbol}: {quote.Body}");
        }

        await client.DepositAsync(trader, 10_000m);
        var order = (await client.PlaceAsync(trader, "fq-1", "BUY", "MARKET", 1)).Ok("placeOrder")["order"]!;
        Assert.Equal("FILLED", order.Str("status"));
    }

    /// <summary>
    /// Readiness, probed as an orchestrator would, but only when it can have changed: the node's first tick records a
    /// quote per instrument (events appended, announced by <see cref="AppFixture.Changes"/>). Bounded.
    /// </summary>
    private async Task ReadyAsync(HttpClient http)
    {
        string last = "";
        await app.Changes.WaitUntilAsync(async () =>
        {
            using var response = await http.GetAsync("/health/ready");
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), () => "The node never reported ready: " + last);
    }
}
