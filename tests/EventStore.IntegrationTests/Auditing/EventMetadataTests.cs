using EventStore.Domain.Auditing;
using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Users;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.Auditing;

[Collection(AppCollection.Name)]
public sealed class EventMetadataTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task every_event_of_a_trading_day_carries_actor_correlation_causation_and_command()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("audited");
        (await _client.SendAsync("mutation { updateProfile(input: {displayName: \"Audited\"}) { id } }", token: token)).Ok("updateProfile");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(token, "a-1", "BUY", "LIMIT", 10, 99.50m)).Ok("placeOrder");
        await app.QuoteAsync("AAPL", 99.30m, 99.40m);
        var rest = (await _client.PlaceAsync(token, "a-2", "SELL", "LIMIT", 5, 120.00m)).Ok("placeOrder")["order"]!;
        (await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { id } } }",
            new { id = rest.Str("id") }, token)).Ok("cancelOrder");
        var day = (await _client.PlaceAsync(token, "a-3", "BUY", "LIMIT", 1, 90.00m, "DAY")).Ok("placeOrder")["order"]!;
        await app.Host.InvokeMessageAndWaitAsync(new ExpireOrder(Guid.Parse(day.Str("id"))));
        await app.Host.InvokeMessageAndWaitAsync(new MarkQuotesStale("AAPL", "test", DateTimeOffset.UtcNow));
        Assert.Equal(["ORDER_REJECTED"], (await _client.PlaceAsync(token, "a-4", "BUY", "MARKET", 1)).Codes); // stale quote
        (await _client.SendAsync("mutation { withdraw(input: {amount: 10}) { balance } }", token: token)).Ok("withdraw");

        var events = await app.AllEventsAsync();

        Assert.True(events.Select(e => e.EventType).Distinct().Count() >= 20, "the scenario should touch most event types");
        Assert.All(events, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.CorrelationId), $"{e.EventTypeName} #{e.Sequence} has no correlation id");
            Assert.False(string.IsNullOrEmpty(e.CausationId), $"{e.EventTypeName} #{e.Sequence} has no causation id");
            Assert.False(string.IsNullOrEmpty(e.UserName), $"{e.EventTypeName} #{e.Sequence} has no actor");
            Assert.NotEqual(SystemActors.Unknown, e.UserName);
            Assert.NotNull(e.GetHeader(EventMetadataMiddleware.CommandHeader));
        });

        var me = SystemActors.User(userId);
        Assert.All(events.Where(e => e.Data is CashDeposited or OrderPlaced or OrderRejected or CashWithdrawn or UserProfileUpdated),
            e => Assert.Equal(me, e.UserName));
        Assert.All(events.Where(e => e.Data is OrderFilled or OrderExpired), e => Assert.Equal(SystemActors.Broker, e.UserName));
        Assert.All(events.Where(e => e.Data is QuoteReceived or QuotesWentStale), e => Assert.Equal(SystemActors.MarketData, e.UserName));
        Assert.Equal(nameof(PlaceOrder), events.First(e => e.Data is OrderPlaced).GetHeader(EventMetadataMiddleware.CommandHeader));

        // One GraphQL operation, one correlation id: the placement and its reservation share it.
        var placed = events.First(e => e.Data is OrderPlaced);
        var reserved = events.First(e => e.Data is CashReserved);
        Assert.Equal(placed.CorrelationId, reserved.CorrelationId);
        Assert.NotEqual(placed.CorrelationId, events.First(e => e.Data is CashDeposited).CorrelationId);
    }
}
