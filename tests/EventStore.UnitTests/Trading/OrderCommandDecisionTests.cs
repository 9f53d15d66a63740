using EventStore.Domain;
using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>The deciders of cancel, expiry, match and quotes, and the rules on a changeable order: plain state, no database.</summary>
public sealed class OrderCommandDecisionTests
{
    [Fact]
    public void cancelling_a_buy_cancels_the_remainder_and_releases_its_cash()
    {
        var order = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 99.00m);
        var account = Account(1_000m, CashReservedFor(OrderId, 991.00m));

        var events = CancelOrderHandler.Decide(order, account, null, new CancelOrder(OrderId, UserId, null), Now);

        Assert.Equal<object>([new OrderCancelled(OrderId, 10m, "requested", UserId, Now)], events.Order);
        Assert.Equal<object>([new CashReservationReleased(AccountId, OrderId, 991.00m, Now)], events.Account);
        Assert.Empty(events.Position);
    }

    [Fact]
    public void cancelling_a_partly_filled_sell_releases_the_shares_left()
    {
        var order = PlacedOrder(OrderSide.Sell, OrderType.Limit, 10, 101.00m, since: PastFill(OrderSide.Sell, 4, 101.00m, 1m, 4, 6));
        var position = Holding(10, 90m, SharesReservedFor(OrderId, 10),
            new PositionDecreased(PositionId, OrderId, FillId, 4, 101.00m, 1m, 43m, 6, Earlier));

        var events = CancelOrderHandler.Decide(order, null, position, new CancelOrder(OrderId, UserId, null), Now);

        Assert.Equal<object>([new OrderCancelled(OrderId, 6m, "requested", UserId, Now)], events.Order);
        Assert.Equal<object>([new SharesReservationReleased(PositionId, OrderId, 6m, Now)], events.Position);
    }

    [Fact]
    public void only_the_owner_may_change_an_open_order_at_the_version_they_saw()
    {
        var order = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 99.00m);
        var filled = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 99.00m, since: PastFill(OrderSide.Buy, 10, 99.00m, 1m, 10, 0));

        Assert.Same(order, OrderRules.MustBeChangeable(order, UserId, 1, 1));
        Assert.Same(order, OrderRules.MustBeChangeable(order, UserId, 1, null));
        Assert.Throws<NotFoundException>(() => OrderRules.MustBeChangeable(null, UserId, null, null));
        Assert.Throws<NotFoundException>(() => OrderRules.MustBeChangeable(order, Guid.NewGuid(), 1, 1)); // someone else's: not found
        var stale = Assert.Throws<ConflictException>(() => OrderRules.MustBeChangeable(order, UserId, 2, 1));
        Assert.Equal("The order is at version 2, not 1: reload it and retry.", stale.Message);
        var done = Assert.Throws<ConflictException>(() => OrderRules.MustBeChangeable(filled, UserId, 2, null));
        Assert.Equal("The order is filled and can no longer change.", done.Message);
    }

    [Fact]
    public void an_open_order_expires_with_its_remainder_and_a_closed_one_appends_nothing()
    {
        var order = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 99.00m, TimeInForce.Day);
        var account = Account(1_000m, CashReservedFor(OrderId, 991.00m));
        var cancelled = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 99.00m, TimeInForce.Day,
            new OrderCancelled(OrderId, 10, "requested", UserId, Earlier));

        var events = ExpireOrderHandler.Decide(order, account, null, Now);

        Assert.Equal<object>([new OrderExpired(OrderId, 10m, Now)], events.Order);
        Assert.Equal<object>([new CashReservationReleased(AccountId, OrderId, 991.00m, Now)], events.Account);
        Assert.True(ExpireOrderHandler.Decide(cancelled, account, null, Now).IsEmpty);
    }

    [Fact]
    public void a_match_fills_a_crossed_limit_buy_against_the_quote_it_carries()
    {
        var order = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 100.00m);
        var account = Account(2_000m, CashReservedFor(OrderId, 1_001.00m));
        var quote = Quote(bid: 99.80m, ask: 99.90m);

        var events = MatchOrderHandler.Decide(order, account, null, new MatchOrder(OrderId, quote, 1m), Options(), FillId, Now);

        var filled = Assert.IsType<OrderFilled>(Assert.Single(events.Order));
        Assert.Equal((10m, 99.90m, 0m, QuoteId), (filled.Quantity, filled.Price, filled.RemainingQuantity, filled.QuoteId));
        Assert.Equal<object>(
        [
            new BuyFillSettled(AccountId, OrderId, FillId, 1_000.00m, Now), // 999.00 + fee 1.00
            new CashReservationReleased(AccountId, OrderId, 1.00m, Now),
        ], events.Account);
    }

    [Fact]
    public void a_match_against_a_quote_that_does_not_cross_appends_nothing()
    {
        var order = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 99.00m);

        var events = MatchOrderHandler.Decide(order, Account(2_000m, CashReservedFor(OrderId, 991.00m)), null,
            new MatchOrder(OrderId, Quote(), 1m), Options(), FillId, Now);

        Assert.True(events.IsEmpty);
    }

    [Fact]
    public void a_quote_is_recorded_under_the_listed_symbol_and_fans_out_to_the_orders_it_crosses_only()
    {
        var quote = new Quote("acme", 99.00m, 99.10m, 500m, 500m, Earlier, "test");
        var received = RecordQuoteHandler.Decide(ListedInstrument(), new RecordQuote(quote), QuoteId);
        var snapshot = QuoteSnapshot.From(received);
        OpenOrder Open(Guid id, OrderSide side, decimal? limit) =>
            new() { Id = id, UserId = UserId, Symbol = Symbol, Side = side, Type = limit is null ? OrderType.Market : OrderType.Limit, LimitPrice = limit, Quantity = 1 };

        var matches = RecordQuoteHandler.Matches(ListedInstrument(), snapshot,
            [Open(OtherOrderId, OrderSide.Buy, 99.50m), Open(OrderId, OrderSide.Buy, 99.00m), Open(PastOrderId, OrderSide.Sell, null)]);

        Assert.Equal(new QuoteReceived(QuoteId, InstrumentId, Symbol, 99.00m, 99.10m, 500m, 500m, Earlier, "test"), received);
        Assert.Equal([OtherOrderId, PastOrderId], matches.Select(m => m.OrderId)); // the buy under the ask does not cross
        Assert.All(matches, m => Assert.Same(snapshot, m.Quote));
        Assert.Empty(RecordQuoteHandler.Matches(ListedInstrument(since: [new InstrumentHalted(InstrumentId, "news", Earlier)]), snapshot,
            [Open(OtherOrderId, OrderSide.Buy, 99.50m)]));
        Assert.Throws<NotFoundException>(() => RecordQuoteHandler.Decide(null, new RecordQuote(quote), QuoteId));
    }

    [Fact]
    public void quotes_go_stale_once_per_outage()
    {
        var command = new MarkQuotesStale(Symbol, "provider down", Now);

        Assert.Equal(new QuotesWentStale(InstrumentId, Symbol, "provider down", Now), MarkQuotesStaleHandler.Decide(Quote(), command));
        Assert.Null(MarkQuotesStaleHandler.Decide(null, command));
        var stale = Quote();
        stale.Stale = true;
        Assert.Null(MarkQuotesStaleHandler.Decide(stale, command));
    }
}
