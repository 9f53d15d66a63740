using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

public sealed class PreTradeRiskTests
{
    private static PlaceOrder Buy(decimal quantity, decimal? limit = null) => new(OrderId, UserId, "client-1", Symbol,
        OrderSide.Buy, limit is null ? OrderType.Market : OrderType.Limit, quantity, limit, TimeInForce.Gtc);

    private static PlaceOrder Sell(decimal quantity, decimal? limit = null) => Buy(quantity, limit) with { Side = OrderSide.Sell };

    private static RiskVerdict Check(PlaceOrder order, QuoteSnapshot? quote, CashAccount? account = null,
        Position? position = null, Instrument? instrument = null) =>
        PreTradeRisk.Check(order, instrument ?? ListedInstrument(), quote, account, position, Options(), Now);

    private static void ShouldReject(RiskVerdict verdict, RejectionReason reason)
    {
        Assert.False(verdict.Accepted);
        Assert.Equal(reason, verdict.Reason);
        Assert.Equal((0m, 0m), (verdict.ReservedCash, verdict.ReservedShares));
    }

    private static void ShouldAccept(RiskVerdict verdict, decimal cash, decimal shares)
    {
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Null(verdict.Reason);
        Assert.Equal((cash, shares), (verdict.ReservedCash, verdict.ReservedShares));
    }

    [Fact]
    public void an_order_on_a_halted_instrument_is_rejected_before_any_other_check()
    {
        var halted = ListedInstrument(since: [new InstrumentHalted(InstrumentId, "news pending", Earlier)]);

        var verdict = Check(Buy(15.5m), quote: null, instrument: halted);

        ShouldReject(verdict, RejectionReason.InstrumentNotTradable);
        Assert.Contains("halted", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void a_resumed_instrument_trades_again()
    {
        var resumed = ListedInstrument(since: [new InstrumentHalted(InstrumentId, "news", Earlier), new InstrumentResumed(InstrumentId, Earlier)]);

        ShouldAccept(Check(Buy(10, 100.00m), Quote(), Account(2000m), instrument: resumed), 1001.00m, 0m);
    }

    [Theory]
    [InlineData(OrderSide.Buy)]
    [InlineData(OrderSide.Sell)]
    public void a_market_order_without_a_quote_is_rejected(OrderSide side) =>
        ShouldReject(Check(Buy(10) with { Side = side }, quote: null, Account(2000m), Holding(100, 90m)), RejectionReason.QuoteUnavailable);

    [Fact]
    public void a_market_order_on_a_quote_flagged_stale_is_rejected()
    {
        var quote = Quote();
        quote.Stale = true;
        quote.StaleReason = "provider circuit open";

        var verdict = Check(Buy(10), quote, Account(2000m));

        ShouldReject(verdict, RejectionReason.QuoteStale);
        Assert.Contains("provider circuit open", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void a_market_order_on_a_quote_older_than_the_maximum_age_is_rejected()
    {
        var verdict = Check(Sell(10), Quote(age: TimeSpan.FromMinutes(2).Add(TimeSpan.FromMilliseconds(1))), position: Holding(100, 90m));

        ShouldReject(verdict, RejectionReason.QuoteStale);
        Assert.Contains("too old", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void a_quote_exactly_at_the_maximum_age_is_still_fresh() =>
        ShouldAccept(Check(Buy(10), Quote(age: TimeSpan.FromMinutes(2)), Account(2000m)), 1052.05m, 0m);

    [Fact]
    public void a_limit_order_needs_neither_a_quote_nor_a_fresh_one()
    {
        var stale = Quote();
        stale.Stale = true;

        ShouldAccept(Check(Buy(10, 100.00m), quote: null, Account(2000m)), 1001.00m, 0m);
        ShouldAccept(Check(Buy(10, 100.00m), stale, Account(2000m)), 1001.00m, 0m);
    }

    [Theory]
    [InlineData(0.01, 100.005)]
    [InlineData(0.05, 100.02)]
    public void a_limit_price_off_the_tick_size_is_rejected(double tickSize, double limit) =>
        ShouldReject(Check(Buy(10, (decimal)limit), Quote(), Account(2000m), instrument: ListedInstrument((decimal)tickSize)),
            RejectionReason.TickSize);

    [Theory]
    [InlineData(10, 15)]
    [InlineData(1, 1.5)]
    [InlineData(0.001, 0.0015)]
    public void a_quantity_off_the_lot_size_is_rejected(double lotSize, double quantity) =>
        ShouldReject(Check(Buy((decimal)quantity), Quote(), Account(2000m), instrument: ListedInstrument(lotSize: (decimal)lotSize)),
            RejectionReason.LotSize);

    [Fact]
    public void the_tick_size_is_checked_before_the_lot_size() =>
        ShouldReject(Check(Buy(15, 100.005m), Quote(), Account(2000m), instrument: ListedInstrument(lotSize: 10)), RejectionReason.TickSize);

    [Fact]
    public void a_limit_order_above_the_maximum_notional_is_rejected_and_one_at_it_is_accepted()
    {
        ShouldReject(Check(Buy(10_001, 100.00m), Quote(), Account(2_000_000m)), RejectionReason.MaxNotional);
        ShouldAccept(Check(Buy(10_000, 100.00m), Quote(), Account(2_000_000m)), 1_000_500.00m, 0m);
    }

    [Fact]
    public void a_market_buy_notional_is_measured_at_the_ask()
    {
        // 9,990 × 100.10 = 999,999 is within 1,000,000; 9,991 × 100.10 is not (at the bid 99.90 both would be).
        ShouldReject(Check(Buy(9_991), Quote(), Account(2_000_000m)), RejectionReason.MaxNotional);
        Assert.True(Check(Buy(9_990), Quote(), Account(2_000_000m)).Accepted);
    }

    [Fact]
    public void a_market_sell_notional_is_measured_at_the_bid()
    {
        // 10,010 × 99.90 = 999,999 is within 1,000,000; 10,011 × 99.90 is not (at the ask 100.10 both would exceed).
        ShouldReject(Check(Sell(10_011), Quote(), position: Holding(20_000, 90m)), RejectionReason.MaxNotional);
        ShouldAccept(Check(Sell(10_010), Quote(), position: Holding(20_000, 90m)), 0m, 10_010m);
    }

    [Fact]
    public void a_buy_needing_more_than_the_available_cash_is_rejected()
    {
        var verdict = Check(Buy(10, 100.00m), Quote(), Account(1000.99m));

        ShouldReject(verdict, RejectionReason.InsufficientBuyingPower);
        Assert.Contains("1001", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("1000.99", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void cash_reserved_by_other_open_orders_is_not_buying_power() =>
        ShouldReject(Check(Buy(10, 100.00m), Quote(), Account(2000m, CashReservedFor(OtherOrderId, 1000m))),
            RejectionReason.InsufficientBuyingPower);

    [Fact]
    public void a_buy_without_a_cash_account_is_rejected() =>
        ShouldReject(Check(Buy(1, 1.00m), Quote(), account: null), RejectionReason.InsufficientBuyingPower);

    [Fact]
    public void a_buy_using_exactly_the_available_cash_is_accepted() =>
        ShouldAccept(Check(Buy(10, 100.00m), Quote(), Account(2001m, CashReservedFor(OtherOrderId, 1000m))), 1001.00m, 0m);

    public static TheoryData<decimal, decimal, decimal> LimitReservations => new()
    {
        { 10m, 100.00m, 1001.00m },   // fee 0.50 is below the minimum fee 1.00
        { 100m, 100.00m, 10_005.00m }, // fee 0.0005 × 10,000 = 5.00
        { 301m, 10.00m, 3011.51m },   // fee 0.0005 × 3,010 = 1.505, rounded away from zero
    };

    [Theory]
    [MemberData(nameof(LimitReservations))]
    public void a_limit_buy_reserves_quantity_times_limit_plus_the_fee(decimal quantity, decimal limit, decimal reserved) =>
        ShouldAccept(Check(Buy(quantity, limit), Quote(), Account(100_000m)), reserved, 0m);

    public static TheoryData<decimal, decimal, decimal> MarketReservations => new()
    {
        { 10m, 100.10m, 1052.05m },    // 10 × 100.10 × 1.05 = 1,051.05, minimum fee 1.00
        { 100m, 100.10m, 10_515.76m }, // 10,510.50 + fee 5.25525 rounded to 5.26
        { 7m, 33.33m, 245.98m },       // 7 × 33.33 × 1.05 = 244.9755 rounded to 244.98, minimum fee 1.00
    };

    [Theory]
    [MemberData(nameof(MarketReservations))]
    public void a_market_buy_reserves_the_ask_plus_the_buffer_plus_the_fee(decimal quantity, decimal ask, decimal reserved)
    {
        ShouldAccept(Check(Buy(quantity), Quote(bid: ask - 0.20m, ask: ask), Account(100_000m)), reserved, 0m);
        Assert.Equal(reserved, PreTradeRisk.CashToReserve(OrderType.Market, quantity, ask, Options()));
    }

    [Fact]
    public void a_sell_of_shares_held_reserves_those_shares_and_no_cash() =>
        ShouldAccept(Check(Sell(40, 101.00m), Quote(), account: null, Holding(100, 90m)), 0m, 40m);

    [Fact]
    public void selling_more_shares_than_held_is_rejected() =>
        ShouldReject(Check(Sell(40, 101.00m), Quote(), position: Holding(30, 90m)), RejectionReason.InsufficientShares);

    [Fact]
    public void selling_without_a_position_is_rejected_as_there_is_no_short_selling() =>
        ShouldReject(Check(Sell(1), Quote(), Account(2000m), position: null), RejectionReason.InsufficientShares);

    [Fact]
    public void shares_reserved_by_another_open_sell_cannot_be_sold_again()
    {
        var position = Holding(100, 90m, SharesReservedFor(OtherOrderId, 60m));

        var verdict = Check(Sell(50, 101.00m), Quote(), position: position);

        ShouldReject(verdict, RejectionReason.InsufficientShares);
        Assert.Contains("40 available", verdict.Detail, StringComparison.Ordinal);
        ShouldAccept(Check(Sell(40, 101.00m), Quote(), position: position), 0m, 40m);
    }
}
