using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>Positions from fills: opening, average cost with fees, realized P&amp;L, with the documented rounding.</summary>
public sealed class PositionAccountingTests
{
    // A fee rate of 0.1%, so that fees above the 1.00 minimum appear on small fills.
    private static TradeEvents Execute(Order order, QuoteSnapshot quote, CashAccount? account, Position? position) =>
        Execution.Execute(order, quote, account, position, 1m, Options(feeRate: 0.001m), FillId, Now);

    private static TradeEvents Sell(decimal quantity, decimal bid, Position position) =>
        Execute(PlacedOrder(OrderSide.Sell, OrderType.Limit, quantity, bid), Quote(bid: bid, ask: bid + 0.20m), null, position);

    [Fact]
    public void the_first_buy_opens_the_position_of_the_user_in_the_symbol()
    {
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(ask: 99.40m), Account(5000m), position: null);

        Assert.Equal<object>([
            new PositionOpened(PositionId, UserId, Symbol, Now),
            new PositionIncreased(PositionId, OrderId, FillId, 10, 99.40m, 1.00m, 10, 99.5m, Now),
        ], events.Position);
    }

    [Fact]
    public void a_buy_into_an_existing_position_does_not_open_it_again() =>
        Assert.IsType<PositionIncreased>(Assert.Single(
            Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(), Account(5000m), Holding(5, 90.00m)).Position));

    [Fact]
    public void a_buy_into_a_closed_position_does_not_open_it_again_and_starts_a_fresh_average()
    {
        var closed = Holding(10, 90.00m, new PositionDecreased(PositionId, PastOrderId, Guid.Empty, 10, 95.00m, 1.00m, 49.00m, 0, Earlier));

        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 10), Quote(ask: 99.40m), Account(5000m), closed);

        Assert.Equal<object>([new PositionIncreased(PositionId, OrderId, FillId, 10, 99.40m, 1.00m, 10, 99.5m, Now)], events.Position);
    }

    [Fact]
    public void the_average_cost_carries_the_fees_across_fills()
    {
        // 10 @ 99.40 + fee 1.00 = 995.00 → 99.5; then 10 @ 100.60 + fee 1.01 → (995 + 1006 + 1.01) / 20 = 100.1005.
        var order = PlacedOrder(OrderSide.Buy, OrderType.Limit, 20, 101.00m);
        var account = Account(5000m, CashReservedFor(OrderId, 2022.02m)); // 20 × 101 + fee 2.02
        var first = Execute(order, Quote(bid: 99.20m, ask: 99.40m, size: 10), account, position: null);
        var position = Replay(new Position(), first.Position);
        Replay(order, first.Order);
        Replay(account, first.Account);

        var second = Execute(order, Quote(bid: 100.40m, ask: 100.60m, size: 10), account, position);

        Assert.Equal(99.5m, position.AverageCost);
        Assert.Equal<object>([new PositionIncreased(PositionId, OrderId, FillId, 10, 100.60m, 1.01m, 20, 100.1005m, Now)], second.Position);
        Assert.Equal<object>([
            new BuyFillSettled(AccountId, OrderId, FillId, 1007.01m, Now),
            new CashReservationReleased(AccountId, OrderId, 20.01m, Now),
        ], second.Account);
    }

    [Fact]
    public void the_average_cost_is_rounded_to_eight_decimals()
    {
        // (3 × 100 + fee 1.00) / 3 = 100.333333333…
        var events = Execute(PlacedOrder(OrderSide.Buy, OrderType.Market, 3), Quote(ask: 100.00m), Account(5000m), position: null);

        Assert.Equal(100.33333333m, Assert.IsType<PositionIncreased>(events.Position[1]).NewAverageCost);
    }

    [Fact]
    public void the_average_cost_rounds_a_midpoint_away_from_zero() =>
        Assert.Equal(1.00000001m, Position.AverageCostAfterBuy(0, 0, 2, 1.00000000m, 0.00000001m));

    [Fact]
    public void a_sale_realizes_quantity_times_price_less_average_cost_less_the_fee_rounded_away_from_zero()
    {
        // 10 × (101.00 − 100.1005) − fee 1.01 = 7.985 → 7.99 (to even would give 7.98).
        var position = Holding(20, 100.1005m, SharesReservedFor(OrderId, 10));

        var events = Sell(10, 101.00m, position);

        Assert.Equal<object>([new PositionDecreased(PositionId, OrderId, FillId, 10, 101.00m, 1.01m, 7.99m, 10, Now)], events.Position);
        Assert.Equal<object>([new SellFillSettled(AccountId, OrderId, FillId, 1008.99m, Now)], events.Account);
        Replay(position, events.Position);
        Assert.Equal((10m, 100.1005m, 7.99m, 0m), (position.Quantity, position.AverageCost, position.RealizedPnl, position.Reserved));
    }

    [Fact]
    public void a_losing_sale_rounds_its_pnl_away_from_zero()
    {
        // 10 × (99.00 − 100.1005) − fee 1.00 (0.99 is below the minimum) = −12.005 → −12.01.
        var events = Sell(10, 99.00m, Holding(20, 100.1005m, SharesReservedFor(OrderId, 10)));

        Assert.Equal(-12.01m, Assert.IsType<PositionDecreased>(Assert.Single(events.Position)).RealizedPnl);
    }

    [Fact]
    public void selling_the_whole_position_resets_its_average_cost_and_keeps_the_pnl()
    {
        var position = Holding(20, 100.1005m, SharesReservedFor(OrderId, 20));

        Replay(position, Sell(20, 101.00m, position).Position);

        // 20 × 0.8995 − fee 2.02 = 15.97
        Assert.Equal((0m, 0m, 15.97m, 0m), (position.Quantity, position.AverageCost, position.RealizedPnl, position.Reserved));
    }
}
