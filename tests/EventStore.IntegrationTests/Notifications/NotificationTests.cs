using EventStore.Contracts.Trading;
using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Chat;
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

        var list = await _client.NotificationsWhenAsync(token, app.Changes, app.WaitForProjectionsAsync, l => l.Count >= 1);

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

    [Fact]
    public async Task a_mention_in_a_private_room_notifies_the_mentioned_members_only_and_an_edit_notifies_only_the_newly_mentioned()
    {
        var (_, aliceToken) = await _client.RegisterAndLogInAsync("m-alice");
        var (bob, bobToken) = await _client.RegisterAndLogInAsync("m-bob");
        var (_, carolToken) = await _client.RegisterAndLogInAsync("m-carol");
        var (dave, daveToken) = await _client.RegisterAndLogInAsync("m-dave");
        var room = await _client.CreateRoomAsync(aliceToken, "desk", "PRIVATE");
        (await _client.InviteAsync(aliceToken, room, bob)).Ok("inviteToRoom");

        // carol exists but is not a member: the mention must not tell her the room exists. alice's own mention is not news.
        var message = await _client.PostOkAsync(aliceToken, room, "@m-bob @m-carol @m-dave @m-alice look at this");
        (await _client.InviteAsync(aliceToken, room, dave)).Ok("inviteToRoom");
        (await _client.SendAsync("mutation($id: ID!, $t: String!) { editMessage(input: {messageId: $id, text: $t}) { message { id } } }",
            new { id = message, t = "@m-bob @m-dave look at this again" }, aliceToken)).Ok("editMessage");

        var bobs = await _client.NotificationsWhenAsync(bobToken, app.Changes, app.WaitForProjectionsAsync, l => l.Count >= 1);
        var daves = await _client.NotificationsWhenAsync(daveToken, app.Changes, app.WaitForProjectionsAsync, l => l.Count >= 1);

        var toBob = Assert.Single(bobs)!["node"]!; // posted: one; the edit mentions him again, which is not new
        Assert.Equal("MENTIONED", toBob.Str("kind"));
        Assert.Equal(room, toBob.Str("subjectId"));
        var toDave = Assert.Single(daves)!["node"]!; // not a member when posted; newly mentioned by the edit once he was
        Assert.Equal("MENTIONED", toDave.Str("kind"));
        Assert.Empty(await _client.NotificationsAsync(carolToken));
        Assert.Empty(await _client.NotificationsAsync(aliceToken));
        Assert.Equal(2, (await app.AllEventsAsync()).Count(e => e.Data is Domain.Notifications.NotificationCreated));
    }

    [Fact]
    public async Task an_assistant_answer_notifies_the_user_who_asked()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("asker");
        var (_, otherToken) = await _client.RegisterAndLogInAsync("not-asking");
        var conversation = (await _client.AskAsync(token, "What can you do?")).Ok("askAssistant")["conversation"]!.Str("id");

        var list = await _client.NotificationsWhenAsync(token, app.Changes, app.WaitForProjectionsAsync, l => l.Count >= 1);

        var node = Assert.Single(list)!["node"]!;
        Assert.Equal("ASSISTANT_ANSWERED", node.Str("kind"));
        Assert.Equal(conversation, node.Str("subjectId"));
        Assert.Empty(await _client.NotificationsAsync(otherToken));
    }
}
