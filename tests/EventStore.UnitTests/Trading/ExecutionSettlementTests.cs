using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>What an execution pays, consumes and gives back: reservations, IOC remainders, the affordability cap.</summary>
public sealed class ExecutionSettlementTests
{
    private static TradeEvents Execute(Order order, QuoteSnapshot quote, CashAccount? account = null, Position? position = null) =>
        Execution.Execute(order, quote, account, position, 1m, Options(), FillId, Now);

    [Fact]
    public void a_complete_buy_fill_pays_the_fill_and_releases_what_is_left_of_the_reservation()
    {
        var account = Account(5000m, CashReservedFor(OrderId, 1011.00m)); // 10 × 101.00 + fee 1.00

        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 101.00m), Quote(ask: 100.10m), account);

        Assert.Equal<object>([
            new BuyFillSettled(AccountId, OrderId, FillId, 1002.00m, Now),
            new CashReservationReleased(AccountId, OrderId, 9.00m, Now),
        ], events.Account);
        Replay(account, events.Account);
        Assert.Equal((3998.00m, 0m, 3998.00m), (account.Balance, account.Reserved, account.Available));
    }

    [Fact]
    public void a_partial_buy_fill_keeps_the_rest_of_the_reservation_for_the_remainder()
    {
        var account = Account(5000m, CashReservedFor(OrderId, 1011.00m));

        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 101.00m), Quote(ask: 100.10m, size: 4), account);

        Assert.Equal<object>([new BuyFillSettled(AccountId, OrderId, FillId, 401.40m, Now)], events.Account);
        Assert.Equal(609.60m, Replay(account, events.Account).ReservedFor(OrderId));
    }

    [Fact]
    public void an_ioc_buy_fills_what_it_can_cancels_the_rest_and_releases_exactly_the_unused_reservation()
    {
        var account = Account(5000m, CashReservedFor(OrderId, 1002.00m)); // 10 × 100.10 + fee 1.00
        var order = PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 100.10m, TimeInForce.Ioc);

        var events = Execute(order, Quote(ask: 100.10m, size: 4), account);

        Assert.Equal(new OrderCancelled(OrderId, 6, "ioc-remainder", null, Now), events.Order[1]);
        Assert.Equal<object>([
            new BuyFillSettled(AccountId, OrderId, FillId, 401.40m, Now),
            new CashReservationReleased(AccountId, OrderId, 600.60m, Now),
        ], events.Account);
        Replay(order, events.Order);
        Replay(account, events.Account);
        Assert.Equal((OrderStatus.Cancelled, 4m), (order.Status, order.FilledQuantity));
        Assert.Equal((4598.60m, 0m), (account.Balance, account.Reserved));
    }

    [Fact]
    public void an_ioc_sell_fills_what_it_can_cancels_the_rest_and_releases_the_unsold_shares()
    {
        var position = Holding(100, 90.00m, SharesReservedFor(OrderId, 50));

        var events = Execute(PlacedOrder(OrderSide.Sell, OrderType.Limit, 50, 99.90m, TimeInForce.Ioc), Quote(bid: 99.90m, size: 20),
            position: position);

        Assert.Equal(new OrderCancelled(OrderId, 30, "ioc-remainder", null, Now), events.Order[1]);
        Assert.Equal<object>([
            new PositionDecreased(PositionId, OrderId, FillId, 20, 99.90m, 1.00m, 197.00m, 80, Now),
            new SharesReservationReleased(PositionId, OrderId, 30, Now),
        ], events.Position);
        Assert.Equal<object>([new SellFillSettled(AccountId, OrderId, FillId, 1997.00m, Now)], events.Account);
        Replay(position, events.Position);
        Assert.Equal((80m, 0m, 80m), (position.Quantity, position.Reserved, position.Available));
    }

    [Fact]
    public void an_ioc_order_the_quote_does_not_cross_is_cancelled_whole_and_releases_everything()
    {
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 100.00m, TimeInForce.Ioc), Quote(ask: 100.10m),
            Account(5000m, CashReservedFor(OrderId, 1001.00m)));

        Assert.Equal<object>([new OrderCancelled(OrderId, 10, "ioc-remainder", null, Now)], events.Order);
        Assert.Equal<object>([new CashReservationReleased(AccountId, OrderId, 1001.00m, Now)], events.Account);
        Assert.Empty(events.Position);
    }

    [Fact]
    public void an_ioc_sell_against_a_stale_quote_fills_nothing_and_gives_its_shares_back()
    {
        var stale = Quote();
        stale.Stale = true;

        var events = Execute(PlacedOrder(OrderSide.Sell, OrderType.Market, 10, null, TimeInForce.Ioc), stale,
            position: Holding(100, 90.00m, SharesReservedFor(OrderId, 10)));

        Assert.Equal<object>([new OrderCancelled(OrderId, 10, "ioc-remainder", null, Now)], events.Order);
        Assert.Equal<object>([new SharesReservationReleased(PositionId, OrderId, 10, Now)], events.Position);
        Assert.Empty(events.Account);
    }

    [Fact]
    public void a_completely_filled_ioc_order_is_not_cancelled()
    {
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 101.00m, TimeInForce.Ioc), Quote(ask: 100.10m),
            Account(5000m, CashReservedFor(OrderId, 1011.00m)));

        Assert.IsType<OrderFilled>(Assert.Single(events.Order));
        Assert.Equal(new CashReservationReleased(AccountId, OrderId, 9.00m, Now), events.Account[1]);
    }

    [Fact]
    public void a_sell_fill_consumes_exactly_the_shares_it_sold_from_the_reservation()
    {
        var position = Holding(100, 90.00m, SharesReservedFor(OrderId, 50));

        var events = Execute(PlacedOrder(OrderSide.Sell, OrderType.Market, 50), Quote(size: 20), position: position);

        Assert.Single(events.Position);
        Assert.Equal((80m, 30m), (Replay(position, events.Position).Quantity, position.ReservedFor(OrderId)));
    }

    [Fact]
    public void a_buy_whose_ask_ran_past_the_buffer_fills_only_what_the_reservation_can_pay()
    {
        // Reserved 1,052.05 at ask 100.10; the ask is now 110: 10 would cost 1,101, 9 cost 990 + fee 1.
        var account = Account(1052.05m, CashReservedFor(OrderId, 1052.05m));

        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(bid: 109.80m, ask: 110.00m), account);

        var fill = Assert.IsType<OrderFilled>(Assert.Single(events.Order));
        Assert.Equal((9m, 1m), (fill.Quantity, fill.RemainingQuantity));
        Assert.Equal<object>([new BuyFillSettled(AccountId, OrderId, FillId, 991.00m, Now)], events.Account);
    }

    [Fact]
    public void a_buy_may_pay_from_free_cash_beyond_its_reservation()
    {
        var account = Account(2000m, CashReservedFor(OrderId, 1052.05m));

        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(bid: 109.80m, ask: 110.00m), account);

        Assert.Equal<object>([new BuyFillSettled(AccountId, OrderId, FillId, 1101.00m, Now)], events.Account);
        Replay(account, events.Account);
        Assert.Equal((899.00m, 0m), (account.Balance, account.Reserved));
    }

    [Fact]
    public void a_buy_never_spends_cash_reserved_for_other_orders()
    {
        // Own reservation 500 + free cash 500 buys 10 × 100 but not the fee; the other order's 1,001 stays untouched.
        var account = Account(2001m, CashReservedFor(OrderId, 500m), CashReservedFor(OtherOrderId, 1001m));

        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 100.00m), Quote(ask: 100.00m), account);

        Assert.Equal(9m, Assert.IsType<OrderFilled>(Assert.Single(events.Order)).Quantity);
    }

    [Fact]
    public void the_fee_can_push_the_affordable_quantity_down_by_a_lot()
    {
        // 1,000.50 covers 10 × 100 but not the 1.00 fee on top.
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 100.00m), Quote(ask: 100.00m),
            Account(1000.50m, CashReservedFor(OrderId, 1000.50m)));

        Assert.Equal(9m, Assert.IsType<OrderFilled>(Assert.Single(events.Order)).Quantity);
        Assert.Equal<object>([new BuyFillSettled(AccountId, OrderId, FillId, 901.00m, Now)], events.Account);
    }

    [Fact]
    public void a_buy_that_cannot_pay_for_one_lot_executes_nothing() =>
        Assert.True(Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(ask: 100.10m),
            Account(100m, CashReservedFor(OrderId, 100m))).IsEmpty);

    [Fact]
    public void a_buy_without_a_cash_account_executes_nothing() =>
        Assert.True(Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(), account: null).IsEmpty);
}
