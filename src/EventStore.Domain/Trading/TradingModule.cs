using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using JasperFx.Events.Projections;
using Marten.Events.Projections;
using Microsoft.Extensions.DependencyInjection;
using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Trading;

public static class TradingModule
{
    public static StoreOptions ConfigureTrading(this StoreOptions options)
    {
        options.Events.AddEventTypes([
            typeof(InstrumentListed), typeof(InstrumentUpdated), typeof(InstrumentHalted), typeof(InstrumentResumed),
            typeof(QuoteReceived), typeof(QuotesWentStale),
            typeof(CashAccountOpened), typeof(CashDeposited), typeof(CashWithdrawn), typeof(CashReserved),
            typeof(CashReservationReleased), typeof(BuyFillSettled), typeof(SellFillSettled),
            typeof(PositionOpened), typeof(SharesReserved), typeof(SharesReservationReleased), typeof(PositionIncreased),
            typeof(PositionDecreased),
            typeof(OrderPlaced), typeof(OrderRejected), typeof(OrderFilled), typeof(OrderCancelled), typeof(OrderExpired),
            typeof(OrderAmended),
        ]);
        options.Projections.Add<OpenOrderProjection>(ProjectionLifecycle.Inline);
        // The write models as snapshots: FetchForWriting loads one row and the events after it instead of replaying the
        // stream, whatever its length (docs/performance.md#write-model-snapshots).
        // The cash account's is kept by the async daemon, not in the transaction of every command: deposits are the
        // hottest command and the group committer decides most of them on the state it remembers, so the row was
        // rewritten for every deposit and read almost never. FetchForWriting reads the row and the events appended since
        // (as many as the daemon is behind, not the stream's length), and the stream's version still decides the commit.
        options.Projections.Snapshot<CashAccount>(SnapshotLifecycle.Async);
        // Positions and orders stay inline, in the command's transaction: their rows are read right after the command
        // (read-your-writes, below). Streams older than these two are backfilled at start-up (WriteModelSnapshots).
        options.Projections.Snapshot<Position>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<Order>(SnapshotLifecycle.Inline);
        // And kept in memory between commands (node-local, 1,000 per type, least recently used out): a command on a cached
        // write model reads only the stream's version, not the row. The version still decides: an append this node did
        // not make moves it on, and the row is read again (WriteModelSnapshotTests). The cached object is the one Marten
        // applies the appended events to at commit, so handlers keep deciding on a Copy() (docs/performance.md).
        options.Events.CacheAggregatesForWriting<CashAccount>();
        options.Events.CacheAggregatesForWriting<Position>();
        options.Events.CacheAggregatesForWriting<Order>();
        // The caller's own positions and orders are read from these snapshots right after their command (read-your-writes,
        // docs/trading.md#read-your-writes): by owner, so indexed by owner (expression indexes: nothing to backfill).
        options.Schema.For<Position>().Index(x => x.UserId);
        options.Schema.For<Order>().Index(x => x.UserId);
        options.Schema.For<OpenOrder>().Duplicate(x => x.Symbol);
        options.Schema.For<ClientOrderIdClaim>();
        options.Schema.For<Accounts.FundingRequestClaim>();
        options.Schema.For<QuoteSnapshot>();
        return options;
    }

    public static IServiceCollection AddTrading(this IServiceCollection services)
    {
        services.AddOptions<TradingOptions>().BindConfiguration(TradingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        // Deposits and withdrawals waiting at the same moment share one transaction (docs/performance.md, group commit).
        services.AddSingleton<Commits.GroupCommitTelemetry>();
        services.AddSingleton<Commits.StreamAppendWatch>(); // a store listener too (EventStoreSetup)
        services.AddSingleton<Commits.KnownStreamAppender>();
        services.AddSingleton<Commits.GroupCommitter<CashAccount>>();
        return services;
    }
}
