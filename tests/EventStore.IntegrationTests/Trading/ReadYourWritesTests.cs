using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Trading;

/// <summary>
/// Read-your-writes for the caller's own orders and positions: with the async daemon paused, so that the OrderView and
/// PositionView rows surely lag, a market order's fill is in the very next `orders`, `order(id)` and `portfolio` query
/// and in the assistant's answers (offline provider).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReadYourWritesTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_market_order_is_in_the_next_orders_portfolio_and_assistant_answer_before_the_projections_run()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("ryw-trader");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var coordinator = app.Host.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.PauseAsync();
        try
        {
            var placed = (await _client.PlaceAsync(token, "ryw-1", "BUY", "MARKET", 10, timeInForce: "IOC")).Ok("placeOrder")["order"]!;
            Assert.Equal("FILLED", placed.Str("status"));
            var orderId = placed.Str("id");
            Assert.Equal(0, await CountAsync($"select count(*) from eventstore.mt_doc_orderview where id = '{orderId}'"));

            var orders = (await _client.SendAsync("{ orders(first: 5) { edges { node { id status filledQuantity fees } } } }", token: token))
                .Ok("orders")["edges"]!.AsArray();
            var node = Assert.Single(orders)!["node"]!;
            Assert.Equal(orderId, node.Str("id"));
            Assert.Equal("FILLED", node.Str("status"));
            Assert.Equal(10m, node.Dec("filledQuantity"));

            var filtered = (await _client.SendAsync("{ orders(first: 5, filter: { status: OPEN }) { edges { node { id } } } }", token: token))
                .Ok("orders")["edges"]!.AsArray();
            Assert.Empty(filtered);

            var order = (await _client.SendAsync("query($id: ID!) { order(id: $id) { status history { event } } }", new { id = orderId }, token))
                .Ok("order");
            Assert.Equal("FILLED", order.Str("status"));
            Assert.Equal(["placed", "filled"], order["history"]!.AsArray().Select(h => h!.Str("event")));

            var portfolio = (await _client.SendAsync("{ portfolio { cash positions { symbol quantity averageCost } } }", token: token)).Ok("portfolio");
            var position = Assert.Single(portfolio["positions"]!.AsArray())!;
            Assert.Equal("AAPL", position.Str("symbol"));
            Assert.Equal(10m, position.Dec("quantity"));
            Assert.Equal(8999.00m, portfolio.Dec("cash")); // 10 000 − 10 × 100 − 1.00 fee

            var answer = (await _client.AskAsync(token, "How is my portfolio doing?")).Ok("askAssistant")["interaction"]!.Str("response");
            Assert.Contains("AAPL 10", answer, StringComparison.Ordinal);
            Assert.Contains("cash 8999.00", answer, StringComparison.Ordinal);
        }
        finally
        {
            await coordinator.ResumeAsync();
        }
    }

    [Fact]
    public async Task a_resting_order_is_in_the_next_orders_query_and_the_assistants_open_orders_before_the_projections_run()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("ryw-rest");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var coordinator = app.Host.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.PauseAsync();
        try
        {
            var placed = (await _client.PlaceAsync(token, "ryw-2", "BUY", "LIMIT", 5, limitPrice: 90m)).Ok("placeOrder")["order"]!;
            Assert.Equal("OPEN", placed.Str("status"));

            var open = (await _client.SendAsync("{ orders(first: 5, filter: { status: OPEN, symbol: \"aapl\" }) { edges { node { id status } } } }", token: token))
                .Ok("orders")["edges"]!.AsArray();
            Assert.Equal(placed.Str("id"), Assert.Single(open)!["node"]!.Str("id"));

            var answer = (await _client.AskAsync(token, "What are my orders?")).Ok("askAssistant")["interaction"]!.Str("response");
            Assert.Contains("BUY 5 AAPL limit 90", answer, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await coordinator.ResumeAsync();
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ServingConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
