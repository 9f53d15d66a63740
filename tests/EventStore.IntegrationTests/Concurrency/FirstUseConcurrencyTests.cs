using EventStore.Domain.Chat;
using EventStore.Domain.Notifications;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Concurrency;

/// <summary>
/// Streams and documents created on first use (a cash account, a position, a read marker, notification preferences, a
/// direct room, an idempotency claim): requests that race to create one all succeed, exactly once each, through HTTP.
/// The loser of the race is retried by the server on the winner's state; it never reaches the caller as an error.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FirstUseConcurrencyTests(AppFixture app) : IAsyncLifetime
{
    private const string DepositMutation = "mutation($a: Decimal!, $k: String) { deposit(input: {amount: $a, idempotencyKey: $k}) { balance } }";
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task concurrent_first_deposits_into_a_new_account_all_succeed_and_the_balance_is_their_sum(int parallel)
    {
        for (var round = 1; round <= 3; round++)
        {
            var (userId, token) = await _client.RegisterAndLogInAsync($"depositor{parallel}r{round}");
            var amounts = Enumerable.Range(1, parallel).Select(i => 100m + i + i / 100m).ToArray();

            var responses = await AllAtOnceAsync(parallel, i => _client.SendAsync(DepositMutation, new { a = amounts[i] }, token));

            Assert.All(responses, r => Assert.True(r.Errors.Count == 0, $"round {round}: {r.Body}"));
            Assert.Equal(amounts.Sum(), responses.Max(r => r.Data!["deposit"]!.Dec("balance")));
            var account = (await app.AllEventsAsync()).Where(e => e.StreamId == TradingIds.AccountOf(userId)).Select(e => e.Data).ToList();
            Assert.Single(account.OfType<CashAccountOpened>());
            Assert.Equal(amounts.Order(), account.OfType<CashDeposited>().Select(d => d.Amount).Order());
            Assert.Equal(amounts.Sum(), (await _client.PortfolioAsync(app, token)).Dec("cash"));
        }
    }

    [Fact]
    public async Task the_same_first_deposit_sent_concurrently_under_one_key_is_applied_once_and_every_copy_succeeds()
    {
        for (var round = 1; round <= 3; round++)
        {
            var (userId, token) = await _client.RegisterAndLogInAsync($"keyracer{round}");

            var responses = await AllAtOnceAsync(6, _ => _client.SendAsync(DepositMutation, new { a = 250m, k = "first-funding" }, token));

            Assert.All(responses, r => Assert.True(r.Errors.Count == 0, r.Body));
            Assert.All(responses, r => Assert.Equal(250m, r.Data!["deposit"]!.Dec("balance")));
            Assert.Single((await app.AllEventsAsync()).Where(e => e.StreamId == TradingIds.AccountOf(userId)), e => e.Data is CashDeposited);
        }
    }

    [Fact]
    public async Task concurrent_first_buys_in_one_symbol_open_the_position_once_and_all_fill()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("position-racer");
        await _client.DepositAsync(token, 100_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);

        var responses = await AllAtOnceAsync(6, i => _client.PlaceAsync(token, $"race-buy-{i}", "BUY", "MARKET", 2, timeInForce: "IOC"));

        Assert.All(responses, r => Assert.Equal("FILLED", r.Ok("placeOrder")["order"]!.Str("status")));
        var position = (await app.AllEventsAsync()).Where(e => e.StreamId == TradingIds.PositionOf(userId, "AAPL")).Select(e => e.Data).ToList();
        Assert.Single(position.OfType<PositionOpened>());
        Assert.Equal(6, position.OfType<PositionIncreased>().Count());
        Assert.Equal(12m, (await _client.PortfolioAsync(app, token))["positions"]![0]!.Dec("quantity"));
    }

    [Fact]
    public async Task one_client_order_id_sent_concurrently_is_placed_once_and_the_others_are_conflicts()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("coid-racer");
        await _client.DepositAsync(token, 100_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);

        var responses = await AllAtOnceAsync(5, _ => _client.PlaceAsync(token, "same-id", "BUY", "LIMIT", 1, 90.00m));

        Assert.Single(responses, r => r.Errors.Count == 0);
        Assert.Equal(4, responses.Count(r => r.Codes.SequenceEqual(["CONFLICT"])));
        Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<OrderPlaced>());
    }

    [Fact]
    public async Task concurrent_first_read_markers_of_one_member_all_succeed_and_mark_once()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("marker-owner");
        var (readerId, reader) = await _client.RegisterAndLogInAsync("marker-reader");
        var room = await _client.CreateRoomAsync(owner, "marker-room");
        await _client.JoinOkAsync(reader, room);
        var message = await _client.PostOkAsync(owner, room, "read me");

        var responses = await AllAtOnceAsync(6, _ => _client.SendAsync(
            "mutation($r: ID!, $m: ID!) { markRead(input: {roomId: $r, messageId: $m}) { room { id } } }", new { r = room, m = message }, reader));

        Assert.All(responses, r => Assert.True(r.Errors.Count == 0, r.Body));
        Assert.Single((await app.AllEventsAsync()).Where(e => e.StreamId == ChatIds.ReadMarker(Guid.Parse(room), readerId)),
            e => e.Data is RoomMessagesRead);
    }

    [Fact]
    public async Task concurrent_first_notification_preferences_all_succeed_and_are_recorded_once()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("prefs-racer");

        var responses = await AllAtOnceAsync(6, _ => _client.SendAsync(
            "mutation { updateNotificationPreferences(input: {email: true, sms: false}) { email } }", null, token));

        Assert.All(responses, r => Assert.True(r.Errors.Count == 0, r.Body));
        Assert.Single((await app.AllEventsAsync()).Where(e => e.StreamId == NotificationIds.PreferencesOf(userId)),
            e => e.Data is NotificationPreferencesChanged);
    }

    [Fact]
    public async Task both_users_opening_their_direct_room_at_once_get_the_same_room_opened_once()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("direct-alice");
        var (bobId, bob) = await _client.RegisterAndLogInAsync("direct-bob");
        const string Open = "mutation($u: ID!) { openDirectRoom(userId: $u) { room { id } } }";

        var responses = await AllAtOnceAsync(6, i => i % 2 == 0
            ? _client.SendAsync(Open, new { u = bobId }, alice)
            : _client.SendAsync(Open, new { u = aliceId }, bob));

        var rooms = responses.Select(r => r.Ok("openDirectRoom")["room"]!.Str("id")).Distinct().ToList();
        Assert.Equal([ChatIds.DirectRoom(aliceId, bobId).ToString()], rooms);
        Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<DirectRoomOpened>());
    }

    /// <summary>
    /// Starts every request behind one gate and releases them together, each continuing on its own thread-pool thread,
    /// so that they reach the server at the same time rather than one after another.
    /// </summary>
    private static async Task<GraphQLResponse[]> AllAtOnceAsync(int count, Func<int, Task<GraphQLResponse>> send)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.Task;
            return await send(i);
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(requests);
    }
}
