using EventStore.Api.Hosting;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventStore.IntegrationTests.Trading;

/// <summary>
/// The write models' snapshots (docs/performance.md#write-model-snapshots): positions' and orders' kept in step with every
/// command and backfilled for streams appended to before they existed; the cash account's kept by the daemon, with
/// FetchForWriting replaying the events after it. No decision is taken on a missing or stale aggregate.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WriteModelSnapshotTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task the_snapshots_equal_the_streams_replayed_after_deposits_and_a_filled_order()
    {
        var (userId, token) = await BuyTwoAaplAsync("snapshot-trader", "snap-1");
        (await _client.PlaceAsync(token, "snap-2", "BUY", "LIMIT", 1, limitPrice: 50m)).Ok("placeOrder");

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var accountId = TradingIds.AccountOf(userId);
        var positionId = TradingIds.PositionOf(userId, "AAPL");
        var account = await CashAccountReads.LatestAsync(session, accountId); // the daemon's row and the events after it
        var replayedAccount = await session.Events.AggregateStreamAsync<CashAccount>(accountId);
        var position = await session.LoadAsync<Position>(positionId);
        var replayedPosition = await session.Events.AggregateStreamAsync<Position>(positionId);

        Assert.NotNull(account);
        Assert.Equal(replayedAccount!.Balance, account.Balance);
        Assert.Equal(replayedAccount.Reservations, account.Reservations);
        Assert.Equal(replayedAccount.Version, account.Version);
        Assert.True(account.Reserved > 0); // the resting limit order holds cash, counted once, not twice
        Assert.NotNull(position);
        Assert.Equal(replayedPosition!.Quantity, position.Quantity);
        Assert.Equal(replayedPosition.AverageCost, position.AverageCost);
        Assert.Equal(2m, position.Quantity);
    }

    [Fact]
    public async Task an_account_without_a_snapshot_row_is_not_backfilled_and_the_next_load_builds_on_its_whole_history()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("pre-snapshot-saver");
        await _client.DepositAsync(token, 40m);
        await _client.DepositAsync(token, 2.50m);
        // As if the stream had been written before the snapshot existed: the row is gone, the events are all there.
        await app.MaintenanceSqlAsync("test: an account from before the inline snapshot",
            $"delete from eventstore.mt_doc_cashaccount where id = '{TradingIds.AccountOf(userId)}'");

        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var backfilled = await WriteModelSnapshots.BackfillAsync(store, NullLogger.Instance, CancellationToken.None);
        var again = await WriteModelSnapshots.BackfillAsync(store, NullLogger.Instance, CancellationToken.None);
        // A deposit under an idempotency key loads the account in its handler's own session (FetchForWriting), not from
        // the group committer's memory.
        var answer = (await _client.SendAsync("mutation($a: Decimal!, $k: String!) { deposit(input: {amount: $a, idempotencyKey: $k}) { balance } }",
                new { a = 1m, k = "pre-snapshot-key" }, token))
            .Ok("deposit");

        Assert.Equal(0, backfilled); // the daemon keeps the cash accounts' rows: FetchForWriting replays the events after it
        Assert.Equal(0, again);
        Assert.Equal(43.50m, answer["balance"]!.GetValue<decimal>());
        var events = await app.AllEventsAsync();
        Assert.Single(events, e => e.Data is CashAccountOpened);
    }

    [Fact]
    public async Task a_position_without_a_snapshot_row_is_backfilled_from_its_events()
    {
        var (userId, _) = await BuyTwoAaplAsync("pre-snapshot-holder", "pre-snap-1");
        var positionId = TradingIds.PositionOf(userId, "AAPL");
        // As if the stream had been written before the snapshot existed: the row is gone, the events are all there.
        await app.MaintenanceSqlAsync("test: a position from before the inline snapshot",
            $"delete from eventstore.mt_doc_position where id = '{positionId}'");

        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var backfilled = await WriteModelSnapshots.BackfillAsync(store, NullLogger.Instance, CancellationToken.None);
        var again = await WriteModelSnapshots.BackfillAsync(store, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(1, backfilled);
        Assert.Equal(0, again);
        await using var session = store.QuerySession();
        var row = await session.LoadAsync<Position>(positionId);
        var replayed = await session.Events.AggregateStreamAsync<Position>(positionId);
        Assert.Equal(2m, row!.Quantity);
        Assert.Equal(replayed!.Quantity, row.Quantity);
        Assert.Equal(replayed.AverageCost, row.AverageCost);
    }

    /// <summary>
    /// The cash account's row is the daemon's: it catches up to the stream, and while the daemon is paused a read goes
    /// on from the row as it was with the events after it, and commands decide on the stream as stored.
    /// </summary>
    [Fact]
    public async Task the_daemon_keeps_the_cash_accounts_row_and_a_row_behind_is_read_with_the_events_after_it()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("daemon-saver");
        await _client.DepositAsync(token, 10m);
        await _client.DepositAsync(token, 2.50m);
        var accountId = TradingIds.AccountOf(userId);
        await app.WaitForProjectionsAsync();
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.QuerySession())
        {
            var caughtUp = await session.LoadAsync<CashAccount>(accountId);
            Assert.Equal(12.50m, caughtUp!.Balance); // written by the daemon, not by the deposits
            Assert.Equal(3, caughtUp.Version);
        }

        var coordinator = app.Host.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.PauseAsync();
        try
        {
            await _client.DepositAsync(token, 1m);
            var keyed = (await _client.SendAsync("mutation($a: Decimal!, $k: String!) { deposit(input: {amount: $a, idempotencyKey: $k}) { balance } }",
                    new { a = 0.25m, k = "behind-key" }, token))
                .Ok("deposit");
            var refused = await _client.SendAsync("mutation($a: Decimal!) { withdraw(input: {amount: $a}) { balance } }", new { a = 13.76m }, token);

            Assert.Equal(13.75m, keyed["balance"]!.GetValue<decimal>());
            Assert.Equal(["CONFLICT"], refused.Codes);
            await using var session = store.QuerySession();
            var row = await session.LoadAsync<CashAccount>(accountId);
            var latest = await CashAccountReads.LatestAsync(session, accountId);
            var replayed = await session.Events.AggregateStreamAsync<CashAccount>(accountId);
            Assert.Equal(12.50m, row!.Balance); // behind: the daemon is paused
            Assert.Equal(13.75m, latest!.Balance);
            Assert.Equal(replayed!.Version, latest.Version);
            var portfolio = (await _client.SendAsync("{ portfolio { cash } }", token: token)).Ok("portfolio");
            Assert.Equal(13.75m, portfolio.Dec("cash"));
        }
        finally
        {
            await coordinator.ResumeAsync();
        }
    }

    /// <summary>
    /// The write models are also kept in memory between commands (Marten's aggregate write cache, TradingModule): a
    /// command on a cached account reads only the stream's version. An append this node's cache did not see (another
    /// node, or a path other than FetchForWriting) moves that version on, so the cached account is dropped and the row
    /// read instead: the decision is never taken on a stale account.
    /// </summary>
    [Fact]
    public async Task an_append_the_cache_did_not_see_is_never_hidden_from_the_next_command()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("cached-saver");
        await _client.DepositAsync(token, 10m);
        await _client.DepositAsync(token, 5m); // loads the account, and leaves it in this node's cache after the commit
        var accountId = TradingIds.AccountOf(userId);
        await using (var elsewhere = app.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            elsewhere.Events.Append(accountId, new CashDeposited(accountId, 100m, DateTimeOffset.UtcNow));
            await elsewhere.SaveChangesAsync();
        }

        var answer = (await _client.SendAsync("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", new { a = 1m }, token))
            .Ok("deposit");
        var refused = await _client.SendAsync("mutation($a: Decimal!) { withdraw(input: {amount: $a}) { balance } }", new { a = 116.01m }, token);
        var withdrawn = (await _client.SendAsync("mutation($a: Decimal!) { withdraw(input: {amount: $a}) { balance } }", new { a = 116m }, token))
            .Ok("withdraw");

        Assert.Equal(116m, answer["balance"]!.GetValue<decimal>());
        Assert.Equal(["CONFLICT"], refused.Codes);
        Assert.Equal(0m, withdrawn["balance"]!.GetValue<decimal>());
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var replayed = await session.Events.AggregateStreamAsync<CashAccount>(accountId);
        var row = await CashAccountReads.LatestAsync(session, accountId);
        Assert.Equal(0m, replayed!.Balance);
        Assert.Equal(replayed.Balance, row!.Balance);
        Assert.Equal(replayed.Version, row.Version);
    }

    /// <summary>A trader with 1,000 of cash who bought 2 AAPL at market (ask 101): an account, a position and an order.</summary>
    private async Task<(Guid UserId, string Token)> BuyTwoAaplAsync(string username, string clientOrderId)
    {
        var (userId, token) = await _client.RegisterAndLogInAsync(username);
        await _client.DepositAsync(token, 1_000m);
        await app.QuoteAsync("AAPL", 99m, 101m);
        (await _client.PlaceAsync(token, clientOrderId, "BUY", "MARKET", 2)).Ok("placeOrder");
        return (userId, token);
    }
}
