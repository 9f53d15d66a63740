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

    [Fact]
    public async Task every_event_of_chat_the_assistant_notifications_and_erasure_carries_the_same_metadata()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("meta.alice");
        var (bobId, bob) = await _client.RegisterAndLogInAsync("meta.bob");
        var room = (await _client.SendAsync("mutation { createRoom(input: {name: \"desk\", visibility: PRIVATE}) { room { id } } }",
            token: alice)).Ok("createRoom")["room"]!.Str("id");
        (await _client.SendAsync("mutation($r: ID!, $u: ID!) { inviteToRoom(input: {roomId: $r, userId: $u}) { room { id } } }",
            new { r = room, u = bobId }, alice)).Ok("inviteToRoom");
        var posted = (await _client.SendAsync("mutation($r: ID!) { postMessage(input: {roomId: $r, text: \"hi @meta.alice, @assistant what is AAPL at?\"}) { message { id } } }",
            new { r = room }, bob)).Ok("postMessage")["message"]!.Str("id");
        (await _client.SendAsync("mutation($m: ID!) { editMessage(input: {messageId: $m, text: \"hello @meta.alice\"}) { message { id } } }",
            new { m = posted }, bob)).Ok("editMessage");
        (await _client.SendAsync("mutation { askAssistant(input: {prompt: \"how is my portfolio?\"}) { interaction { id } } }",
            token: alice)).Ok("askAssistant");
        await _client.DepositAsync(alice, 1_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(alice, "meta-1", "BUY", "MARKET", 1)).Ok("placeOrder");
        (await _client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }", new { id = bobId },
            await _client.LogInAsAdminAsync())).Ok("eraseUser");

        // The room's assistant reply and the fill notification are cascaded work: wait until they are recorded.
        var events = await EventsOnceAsync(all => all.Any(e => e.EventTypeName == "notification_created")
            && all.Count(e => e.EventTypeName == "message_posted") >= 2);

        Assert.All(events, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.CorrelationId), $"{e.EventTypeName} #{e.Sequence} has no correlation id");
            Assert.False(string.IsNullOrEmpty(e.CausationId), $"{e.EventTypeName} #{e.Sequence} has no causation id");
            Assert.False(string.IsNullOrEmpty(e.UserName), $"{e.EventTypeName} #{e.Sequence} has no actor");
            Assert.NotEqual(SystemActors.Unknown, e.UserName);
            Assert.NotNull(e.GetHeader(EventMetadataMiddleware.CommandHeader));
        });
        var erased = events.Single(e => e.Data is PersonalDataErased);
        Assert.Equal(SystemActors.User(((PersonalDataErased)erased.Data).ErasedBy), erased.UserName);
        Assert.Equal(nameof(EventStore.Domain.Users.Erasing.EraseUser), erased.GetHeader(EventMetadataMiddleware.CommandHeader));
        Assert.Contains(events, e => e.EventTypeName == "message_edited" && e.UserName == SystemActors.User(bobId));
    }

    /// <summary>The events once <paramref name="ready"/> holds, re-read after each commit that appended events (60 s at most).</summary>
    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> EventsOnceAsync(Func<IReadOnlyList<JasperFx.Events.IEvent>, bool> ready)
    {
        IReadOnlyList<JasperFx.Events.IEvent> events = [];
        await app.Changes.WaitUntilAsync(async () =>
        {
            await app.WaitForProjectionsAsync();
            events = await app.AllEventsAsync();
            return ready(events);
        }, TimeSpan.FromSeconds(60), () => "the cascaded work was not recorded: " + string.Join(", ", events.Select(e => e.EventTypeName).Distinct()));
        return events;
    }
}
