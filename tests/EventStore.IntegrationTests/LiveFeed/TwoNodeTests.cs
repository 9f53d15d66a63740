using Alba;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.LiveFeed;

/// <summary>Two app hosts on one PostgreSQL: what node A commits reaches a subscriber connected to node B.</summary>
[Collection(AppCollection.Name)]
public sealed class TwoNodeTests(AppFixture app) : IAsyncLifetime
{
    private IAlbaHost _nodeB = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _nodeB = await app.StartSecondNodeAsync();
    }

    public async Task DisposeAsync() => await _nodeB.DisposeAsync();

    [Fact]
    public async Task an_order_placed_on_node_a_reaches_a_subscriber_on_node_b()
    {
        var nodeA = new GraphQLClient(app.Host);
        var (_, token) = await nodeA.RegisterAndLogInAsync("two-nodes");
        await nodeA.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        await using var onB = await SubscriptionProbe.SubscribeAsync(_nodeB, "subscription { myOrderUpdates { event order { clientOrderId } } }", token);

        (await nodeA.PlaceAsync(token, "from-a", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder");

        var update = await onB.NextAsync();
        Assert.Equal("from-a", update["order"]!["clientOrderId"]!.GetValue<string>());
    }
}
