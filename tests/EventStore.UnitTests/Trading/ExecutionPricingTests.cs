using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>At which price, and how much, one order executes against one quote.</summary>
public sealed class ExecutionPricingTests
{
    private static TradeEvents Execute(Order order, QuoteSnapshot quote, CashAccount? account = null, Position? position = null,
        decimal lotSize = 1m) =>
        Execution.Execute(order, quote, account, position, lotSize, Options(), FillId, Now);

    private static CashAccount Funded() => Account(100_000m, CashReservedFor(OrderId, 20_000m));

    private static Position Selling(decimal reserved) => Holding(1000, 95.00m, SharesReservedFor(OrderId, reserved));

    [Fact]
    public void a_market_buy_fills_at_the_ask_and_records_the_quote_it_executed_against()
    {
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(bid: 99.90m, ask: 100.10m), Funded());

        var expected = new OrderFilled(OrderId, FillId, UserId, Symbol, OrderSide.Buy, 10, 100.10m, 1.00m, 10, 0,
            QuoteId, Now.AddSeconds(-1), 99.90m, 100.10m, Now);
        Assert.Equal(expected, Assert.Single(events.Order));
    }

    [Fact]
    public void a_market_sell_fills_at_the_bid_and_records_the_quote_it_executed_against()
    {
        var events = Execute(PlacedOrder(OrderSide.Sell, OrderType.Market, 10), Quote(bid: 99.90m, ask: 100.10m), position: Selling(10));

        var expected = new OrderFilled(OrderId, FillId, UserId, Symbol, OrderSide.Sell, 10, 99.90m, 1.00m, 10, 0,
            QuoteId, Now.AddSeconds(-1), 99.90m, 100.10m, Now);
        Assert.Equal(expected, Assert.Single(events.Order));
    }

    public static TheoryData<decimal, bool> BuyLimits => new()
    {
        { 100.10m, true },  // ask at the limit
        { 100.50m, true },  // ask below the limit: fills at the ask, not at the limit
        { 100.09m, false }, // ask above the limit
    };

    [Theory]
    [MemberData(nameof(BuyLimits))]
    public void a_limit_buy_fills_at_the_ask_only_when_the_ask_is_at_or_below_its_limit(decimal limit, bool fills)
    {
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, limit), Quote(bid: 99.90m, ask: 100.10m), Funded());

        if (fills)
        {
            Assert.Equal(100.10m, Assert.IsType<OrderFilled>(Assert.Single(events.Order)).Price);
        }
        else
        {
            Assert.True(events.IsEmpty);
        }
    }

    public static TheoryData<decimal, bool> SellLimits => new()
    {
        { 99.90m, true },  // bid at the limit
        { 99.50m, true },  // bid above the limit: fills at the bid
        { 99.91m, false }, // bid below the limit
    };

    [Theory]
    [MemberData(nameof(SellLimits))]
    public void a_limit_sell_fills_at_the_bid_only_when_the_bid_is_at_or_above_its_limit(decimal limit, bool fills)
    {
        var events = Execute(PlacedOrder(OrderSide.Sell, OrderType.Limit, 10, limit), Quote(bid: 99.90m, ask: 100.10m), position: Selling(10));

        if (fills)
        {
            Assert.Equal(99.90m, Assert.IsType<OrderFilled>(Assert.Single(events.Order)).Price);
        }
        else
        {
            Assert.True(events.IsEmpty);
        }
    }

    [Fact]
    public void a_fill_is_limited_by_the_size_on_the_quote_and_the_rest_stays_open()
    {
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(size: 4), Funded());

        var fill = Assert.IsType<OrderFilled>(Assert.Single(events.Order));
        Assert.Equal((4m, 4m, 6m), (fill.Quantity, fill.FilledQuantity, fill.RemainingQuantity));
        Assert.Equal(OrderStatus.PartiallyFilled, Replay(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), events.Order).Status);
    }

    [Fact]
    public void a_partial_buy_fill_is_rounded_down_to_whole_lots()
    {
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 100, 101.00m), Quote(size: 37), Funded(), lotSize: 10);

        Assert.Equal(30m, Assert.IsType<OrderFilled>(Assert.Single(events.Order)).Quantity);
    }

    [Fact]
    public void a_partial_sell_fill_is_rounded_down_to_whole_lots()
    {
        var events = Execute(PlacedOrder(OrderSide.Sell, OrderType.Limit, 100, 99.00m), Quote(size: 25), position: Selling(100), lotSize: 10);

        Assert.Equal(20m, Assert.IsType<OrderFilled>(Assert.Single(events.Order)).Quantity);
    }

    [Fact]
    public void a_quote_smaller_than_one_lot_fills_nothing() =>
        Assert.True(Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 100), Quote(size: 9), Funded(), lotSize: 10).IsEmpty);

    [Fact]
    public void a_partly_filled_order_fills_only_what_remains()
    {
        var order = PlacedOrder(OrderSide.Buy, OrderType.Market, 10, since: [PastFill(OrderSide.Buy, 4, 100.00m, 1.00m, 4, 6)]);

        var fill = Assert.IsType<OrderFilled>(Assert.Single(Execute(order, Quote(), Funded()).Order));

        Assert.Equal((6m, 10m, 0m), (fill.Quantity, fill.FilledQuantity, fill.RemainingQuantity));
    }

    [Fact]
    public void the_fee_is_charged_on_the_notional_of_the_fill()
    {
        // 100 × 100.10 = 10,010; 0.0005 × 10,010 = 5.005, rounded away from zero.
        var fill = Assert.IsType<OrderFilled>(Assert.Single(Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 100), Quote(), Funded()).Order));

        Assert.Equal(5.01m, fill.Fee);
    }

    [Fact]
    public void a_quote_flagged_stale_executes_nothing()
    {
        var quote = Quote();
        quote.Stale = true;

        Assert.True(Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), quote, Funded()).IsEmpty);
    }

    [Fact]
    public void a_quote_older_than_the_maximum_age_executes_nothing() =>
        Assert.True(Execute(PlacedOrder(OrderSide.Sell, OrderType.Market, 10), Quote(age: TimeSpan.FromMinutes(3)), position: Selling(10)).IsEmpty);

    public static TheoryData<string> TerminalOrders => new() { "filled", "cancelled", "expired", "rejected" };

    [Theory]
    [MemberData(nameof(TerminalOrders))]
    public void an_order_that_is_no_longer_open_executes_nothing_not_even_an_ioc_cancel(string outcome)
    {
        var order = outcome switch
        {
            "filled" => PlacedOrder(OrderSide.Buy, OrderType.Market, 10, null, TimeInForce.Ioc, PastFill(OrderSide.Buy, 10, 100.00m, 1.00m, 10, 0)),
            "cancelled" => PlacedOrder(OrderSide.Buy, OrderType.Market, 10, null, TimeInForce.Ioc,
                new OrderCancelled(OrderId, 10, "requested", UserId, Earlier)),
            "expired" => PlacedOrder(OrderSide.Buy, OrderType.Market, 10, null, TimeInForce.Ioc, new OrderExpired(OrderId, 10, Earlier)),
            _ => Replay(new Order(), [new OrderRejected(OrderId, UserId, PersonalDataFixture.Seal(UserId, "client-1"), Symbol, OrderSide.Buy, OrderType.Market, 10, null,
                TimeInForce.Ioc, RejectionReason.QuoteStale, "stale", Earlier)]),
        };

        Assert.True(Execute(order, Quote(), Funded()).IsEmpty);
    }
}
