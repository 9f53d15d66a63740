using EventStore.Api.Hosting;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventStore.IntegrationTests.Trading;

/// <summary>
/// The write models' inline snapshots (docs/performance.md#write-model-snapshots): kept in step with every command, and
/// backfilled for streams appended to before they existed, so that no decision is taken on a missing aggregate.
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
        var (userId, token) = await _client.RegisterAndLogInAsync("snapshot-trader");
        await _client.DepositAsync(token, 1_000m);
        await app.QuoteAsync("AAPL", 99m, 101m);
        (await _client.PlaceAsync(token, "snap-1", "BUY", "MARKET", 2)).Ok("placeOrder");
        (await _client.PlaceAsync(token, "snap-2", "BUY", "LIMIT", 1, limitPrice: 50m)).Ok("placeOrder");

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var accountId = TradingIds.AccountOf(userId);
        var positionId = TradingIds.PositionOf(userId, "AAPL");
        var account = await session.LoadAsync<CashAccount>(accountId);
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
    public async Task an_account_without_a_snapshot_row_is_backfilled_and_the_next_deposit_builds_on_its_whole_history()
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
        var answer = (await _client.SendAsync("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", new { a = 1m }, token))
            .Ok("deposit");

        Assert.Equal(1, backfilled);
        Assert.Equal(0, again);
        Assert.Equal(43.50m, answer["balance"]!.GetValue<decimal>());
        var events = await app.AllEventsAsync();
        Assert.Single(events, e => e.Data is CashAccountOpened);
    }
}
