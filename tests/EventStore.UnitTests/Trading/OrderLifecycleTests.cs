using EventStore.Domain.Trading.Orders;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>The order write model's status transitions, and the open-order index the broker scans on every quote.</summary>
public sealed class OrderLifecycleTests
{
    private static Order LimitBuy(params object[] since) => PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 100.00m, TimeInForce.Day, since);

    [Fact]
    public void a_placed_order_is_open_for_its_whole_quantity()
    {
        var order = LimitBuy();

        Assert.Equal((OrderId, UserId, Symbol), (order.Id, order.UserId, order.Symbol));
        Assert.Equal((OrderSide.Buy, OrderType.Limit, TimeInForce.Day), (order.Side, order.Type, order.TimeInForce));
        Assert.Equal((OrderStatus.Open, 10m, 0m, 10m, (decimal?)100.00m),
            (order.Status, order.Quantity, order.FilledQuantity, order.Remaining, order.LimitPrice));
        Assert.True(order.IsOpen);
        Assert.Equal(Earlier, order.PlacedAt);
    }

    [Fact]
    public void a_partial_fill_leaves_the_order_open_and_partly_filled()
    {
        var order = LimitBuy(PastFill(OrderSide.Buy, 4, 100.00m, 1.00m, 4, 6));

        Assert.Equal((OrderStatus.PartiallyFilled, 4m, 6m, true), (order.Status, order.FilledQuantity, order.Remaining, order.IsOpen));
    }

    [Fact]
    public void the_fill_of_the_remainder_closes_the_order_as_filled()
    {
        var order = LimitBuy(PastFill(OrderSide.Buy, 4, 100.00m, 1.00m, 4, 6), PastFill(OrderSide.Buy, 6, 99.00m, 1.00m, 10, 0));

        Assert.Equal((OrderStatus.Filled, 10m, 0m, false), (order.Status, order.FilledQuantity, order.Remaining, order.IsOpen));
    }

    [Fact]
    public void a_cancelled_or_expired_order_is_closed_with_what_it_had_filled()
    {
        var cancelled = LimitBuy(PastFill(OrderSide.Buy, 4, 100.00m, 1.00m, 4, 6), new OrderCancelled(OrderId, 6, "requested", UserId, Now));
        var expired = LimitBuy(new OrderExpired(OrderId, 10, Now));

        Assert.Equal((OrderStatus.Cancelled, 4m, false), (cancelled.Status, cancelled.FilledQuantity, cancelled.IsOpen));
        Assert.Equal((OrderStatus.Expired, 0m, false), (expired.Status, expired.FilledQuantity, expired.IsOpen));
    }

    [Fact]
    public void a_rejected_order_is_recorded_closed_with_what_was_asked()
    {
        var order = Replay(new Order(), [new OrderRejected(OrderId, UserId, PersonalDataFixture.Seal(UserId, "client-1"), Symbol, OrderSide.Sell, OrderType.Limit, 5, 99.00m,
            TimeInForce.Gtc, RejectionReason.InsufficientShares, "no shares", Now)]);

        Assert.Equal((OrderStatus.Rejected, false, OrderSide.Sell, 5m, Now),
            (order.Status, order.IsOpen, order.Side, order.Quantity, order.PlacedAt));
    }

    [Fact]
    public void an_amend_changes_quantity_and_limit_and_keeps_the_status()
    {
        var order = LimitBuy(PastFill(OrderSide.Buy, 4, 100.00m, 1.00m, 4, 6), new OrderAmended(OrderId, 8, 99.50m, Now));

        Assert.Equal((OrderStatus.PartiallyFilled, 8m, 4m, (decimal?)99.50m), (order.Status, order.Quantity, order.Remaining, order.LimitPrice));
    }

    public static TheoryData<OrderSide, decimal?, decimal, bool> Accepting => new()
    {
        { OrderSide.Buy, 100.00m, 100.00m, true },
        { OrderSide.Buy, 100.00m, 99.99m, true },
        { OrderSide.Buy, 100.00m, 100.01m, false },
        { OrderSide.Sell, 100.00m, 100.00m, true },
        { OrderSide.Sell, 100.00m, 100.01m, true },
        { OrderSide.Sell, 100.00m, 99.99m, false },
        { OrderSide.Buy, null, 1_000_000m, true },
        { OrderSide.Sell, null, 0.01m, true },
    };

    [Theory]
    [MemberData(nameof(Accepting))]
    public void a_limit_accepts_a_price_at_or_better_than_itself_and_a_market_order_any_price(
        OrderSide side, decimal? limit, decimal price, bool accepts)
    {
        var order = PlacedOrder(side, limit is null ? OrderType.Market : OrderType.Limit, 10, limit);
        var open = OpenOrderProjection.Create(Placed(side, limit is null ? OrderType.Market : OrderType.Limit, 10, limit));

        Assert.Equal(accepts, order.Accepts(price));
        // the index crosses on the ask for a buy and on the bid for a sell, the same rule
        Assert.Equal(accepts, side == OrderSide.Buy ? open.CrossedBy(bid: 0m, ask: price) : open.CrossedBy(bid: price, ask: decimal.MaxValue));
    }

    [Fact]
    public void the_open_order_index_follows_fills_and_amends_and_drops_the_order_when_done()
    {
        var open = OpenOrderProjection.Create(Placed(OrderSide.Buy, OrderType.Limit, 10, 100.00m));
        OpenOrderProjection.Apply(PastFill(OrderSide.Buy, 4, 100.00m, 1.00m, 4, 6), open);
        OpenOrderProjection.Apply(new OrderAmended(OrderId, 8, 101.00m, Now), open);

        Assert.Equal((OrderId, UserId, Symbol, 8m, 4m, (decimal?)101.00m),
            (open.Id, open.UserId, open.Symbol, open.Quantity, open.Filled, open.LimitPrice));
        Assert.True(open.CrossedBy(bid: 100.80m, ask: 101.00m));
        Assert.False(open.CrossedBy(bid: 100.80m, ask: 101.01m));
        Assert.False(OpenOrderProjection.ShouldDelete(PastFill(OrderSide.Buy, 2, 100.00m, 1.00m, 6, 2)));
        Assert.True(OpenOrderProjection.ShouldDelete(PastFill(OrderSide.Buy, 2, 100.00m, 1.00m, 8, 0)));
    }
}
