using EventStore.Contracts.Trading;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Integration;
using EventStore.IntegrationTests.LiveFeed;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.Notifications;

/// <summary>Kafka off (the default): the integration events travel on the durable local queue.</summary>
[Collection(AppCollection.Name)]
public sealed class NotificationTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_fill_notifies_its_trader_only_over_the_local_queue()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("local-trader");
        var (_, otherToken) = await _client.RegisterAndLogInAsync("bystander");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.98m, 100.00m);
        var orderId = (await _client.PlaceAsync(token, "l-1", "BUY", "MARKET", 2)).Ok("placeOrder")["order"]!.Str("id");

        var list = await _client.NotificationsWhenAsync(token, app.WaitForProjectionsAsync, l => l.Count >= 1);

        var node = Assert.Single(list)!["node"]!;
        Assert.Equal("ORDER_FILLED", node.Str("kind"));
        Assert.Equal(orderId, node.Str("subjectId"));
        Assert.Empty(await _client.NotificationsAsync(otherToken));

        // The notification's metadata: the system acted, under the correlation id of the request that placed the order.
        var events = await app.AllEventsAsync();
        var created = Assert.Single(events, e => e.Data is Domain.Notifications.NotificationCreated);
        var fill = Assert.Single(events, e => e.Data is Domain.Trading.Orders.OrderFilled);
        Assert.Equal(Domain.Auditing.SystemActors.Integration, created.UserName);
        Assert.Equal(fill.CorrelationId, created.CorrelationId);
    }

    [Fact]
    public async Task the_same_integration_event_delivered_twice_creates_one_notification()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("redelivered");
        var filled = new OrderFilled(Guid.NewGuid(), Guid.NewGuid(), userId, "AAPL", "BUY", 1, 100, 1, 1, 0, DateTimeOffset.UtcNow)
            { EventId = Guid.NewGuid(), Sequence = 42, OccurredAt = DateTimeOffset.UtcNow };

        await app.Host.InvokeMessageAndWaitAsync(filled);
        await app.Host.InvokeMessageAndWaitAsync(filled); // a redelivery: same event id
        await app.WaitForProjectionsAsync();

        Assert.Single(await _client.NotificationsAsync(token));
        Assert.Single(await app.AllEventsAsync(), e => e.Data is Domain.Notifications.NotificationCreated);
    }

    [Fact]
    public async Task marking_read_is_the_recipients_alone_and_someone_elses_notification_is_not_found()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("reader");
        var (_, otherToken) = await _client.RegisterAndLogInAsync("snoop");
        await app.Host.InvokeMessageAndWaitAsync(new OrderRejected(Guid.NewGuid(), userId, "AAPL", "BUY", "MARKET", 1,
            "INSUFFICIENT_BUYING_POWER", DateTimeOffset.UtcNow) { EventId = Guid.NewGuid(), Sequence = 7, OccurredAt = DateTimeOffset.UtcNow });
        await app.WaitForProjectionsAsync();
        var id = Assert.Single(await _client.NotificationsAsync(token))!["node"]!.Str("id");
        const string Mark = "mutation($id: ID!) { markNotificationRead(id: $id) { id isRead kind } }";

        var foreign = await _client.SendAsync(Mark, new { id }, otherToken);
        Assert.Contains("NOT_FOUND", foreign.Codes);

        var read = (await _client.SendAsync(Mark, new { id }, token)).Ok("markNotificationRead");
        Assert.True(read["isRead"]!.GetValue<bool>());
        Assert.Equal("ORDER_REJECTED", read.Str("kind"));
    }

    [Fact]
    public async Task the_notifications_subscription_pushes_new_notifications_to_their_recipient_only()
    {
        var (alice, aliceToken) = await _client.RegisterAndLogInAsync("live-alice");
        var (bob, _) = await _client.RegisterAndLogInAsync("live-bob");
        await using var updates = await SubscriptionProbe.SubscribeAsync(app.Host,
            "subscription { notifications { sequence notification { kind subjectId isRead } } }", aliceToken);

        foreach (var user in new[] { bob, alice })
        {
            await app.Host.InvokeMessageAndWaitAsync(new OrderFilled(user, Guid.NewGuid(), user, "AAPL", "SELL", 1, 100, 1, 1, 0,
                DateTimeOffset.UtcNow) { EventId = Guid.NewGuid(), Sequence = 9, OccurredAt = DateTimeOffset.UtcNow });
        }

        var update = await updates.NextAsync();
        Assert.Equal("ORDER_FILLED", update["notification"]!.Str("kind"));
        Assert.Equal(alice.ToString(), update["notification"]!.Str("subjectId")); // alice's order, not bob's
    }
}
