using EventStore.Domain;
using EventStore.Domain.Privacy;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>PlaceOrderHandler.Decide: risk check, reservation, immediate execution and expiry, on plain state, no database.</summary>
public sealed class PlaceOrderDecisionTests
{
    private static readonly SealedText ClientOrderId = PersonalDataFixture.Seal(UserId, "client-1");

    private static PlaceOrderDecision Decide(OrderSide side, OrderType type, decimal quantity, decimal? limit = null,
        TimeInForce timeInForce = TimeInForce.Gtc, QuoteSnapshot? quote = null, CashAccount? account = null, Position? position = null,
        Instrument? instrument = null) =>
        PlaceOrderHandler.Decide(new PlaceOrder(OrderId, UserId, "client-1", Symbol, side, type, quantity, limit, timeInForce),
            instrument ?? ListedInstrument(), quote, account, position, Options(), ClientOrderId, FillId, Now);

    [Fact]
    public void a_limit_buy_that_does_not_cross_reserves_its_cash_and_rests_open()
    {
        var decision = Decide(OrderSide.Buy, OrderType.Limit, 10, 99.00m, quote: Quote(), account: Account(5_000m));

        Assert.True(decision.Accepted);
        Assert.Equal(OrderStatus.Open, decision.Status);
        var placed = Assert.IsType<OrderPlaced>(Assert.Single(decision.Events.Order));
        Assert.Equal((991.00m, 0m), (placed.ReservedCash, placed.ReservedShares)); // 990.00 + fee 1.00
        Assert.Equal<object>([new CashReserved(AccountId, OrderId, 991.00m, Now)], decision.Events.Account);
        Assert.Empty(decision.Events.Position);
        Assert.Null(decision.ExpireAt); // GTC
    }

    [Fact]
    public void a_market_buy_fills_at_the_ask_and_gives_back_the_unused_buffer()
    {
        var decision = Decide(OrderSide.Buy, OrderType.Market, 5, quote: Quote(ask: 100.10m), account: Account(1_000m));

        Assert.Equal(OrderStatus.Filled, decision.Status);
        var filled = Assert.IsType<OrderFilled>(decision.Events.Order[1]);
        Assert.Equal((5m, 100.10m, 1.00m, FillId), (filled.Quantity, filled.Price, filled.Fee, filled.FillId));
        // Reserved 5 × 100.10 × 1.05 = 525.53 + fee 1.00; paid 500.50 + 1.00; the rest released.
        Assert.Equal<object>(
        [
            new CashReserved(AccountId, OrderId, 526.53m, Now),
            new BuyFillSettled(AccountId, OrderId, FillId, 501.50m, Now),
            new CashReservationReleased(AccountId, OrderId, 25.03m, Now),
        ], decision.Events.Account);
        Assert.IsType<PositionOpened>(decision.Events.Position[0]);
        Assert.IsType<PositionIncreased>(decision.Events.Position[1]);
    }

    [Fact]
    public void a_limit_sell_reserves_the_shares_it_sells()
    {
        var decision = Decide(OrderSide.Sell, OrderType.Limit, 4, 101.00m, quote: Quote(), position: Holding(10, 90m));

        Assert.Equal(OrderStatus.Open, decision.Status);
        Assert.Equal<object>([new SharesReserved(PositionId, OrderId, 4m, Now)], decision.Events.Position);
        Assert.Empty(decision.Events.Account);
    }

    [Fact]
    public void a_day_order_that_stays_open_expires_at_the_session_end_and_a_filled_one_does_not()
    {
        var resting = Decide(OrderSide.Buy, OrderType.Limit, 1, 99.00m, TimeInForce.Day, Quote(), Account(1_000m));
        var filled = Decide(OrderSide.Buy, OrderType.Limit, 1, 101.00m, TimeInForce.Day, Quote(), Account(1_000m));

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 21, 0, 0, TimeSpan.Zero), resting.ExpireAt);
        Assert.Equal(OrderStatus.Filled, filled.Status);
        Assert.Null(filled.ExpireAt);
    }

    [Fact]
    public void an_ioc_order_without_a_quote_is_cancelled_at_once_and_releases_its_reservation()
    {
        var decision = Decide(OrderSide.Buy, OrderType.Limit, 1, 99.00m, TimeInForce.Ioc, quote: null, account: Account(1_000m));

        Assert.Equal(OrderStatus.Cancelled, decision.Status);
        Assert.IsType<OrderCancelled>(decision.Events.Order[1]);
        Assert.IsType<CashReservationReleased>(decision.Events.Account[^1]);
    }

    [Fact]
    public void pre_trade_risk_refuses_a_buy_beyond_the_buying_power_and_the_rejection_is_the_only_event()
    {
        var decision = Decide(OrderSide.Buy, OrderType.Limit, 100, 99.00m, quote: Quote(), account: Account(1_000m));

        Assert.False(decision.Accepted);
        Assert.Equal((OrderStatus.Rejected, RejectionReason.InsufficientBuyingPower), (decision.Status, decision.Reason));
        var rejected = Assert.IsType<OrderRejected>(Assert.Single(decision.Events.Order));
        Assert.Equal((RejectionReason.InsufficientBuyingPower, decision.Detail), (rejected.Reason, rejected.Detail));
        Assert.Same(ClientOrderId, rejected.ClientOrderId);
        Assert.Empty(decision.Events.Account);
        Assert.Empty(decision.Events.Position);
        Assert.Null(decision.ExpireAt);
    }

    [Fact]
    public void a_market_order_without_a_quote_and_an_order_on_a_halted_instrument_are_rejected()
    {
        var halted = ListedInstrument(since: [new InstrumentHalted(InstrumentId, "news", Earlier)]);

        Assert.Equal(RejectionReason.QuoteUnavailable, Decide(OrderSide.Buy, OrderType.Market, 1, account: Account(1_000m)).Reason);
        Assert.Equal(RejectionReason.InstrumentNotTradable,
            Decide(OrderSide.Buy, OrderType.Limit, 1, 99.00m, quote: Quote(), account: Account(1_000m), instrument: halted).Reason);
        Assert.Equal(RejectionReason.InsufficientShares, Decide(OrderSide.Sell, OrderType.Limit, 1, 99.00m, quote: Quote()).Reason);
    }

    [Fact]
    public void an_unknown_instrument_is_not_found() =>
        Assert.Throws<NotFoundException>(() => Decide(OrderSide.Buy, OrderType.Limit, 1, 99.00m, instrument: new Instrument()));
}
