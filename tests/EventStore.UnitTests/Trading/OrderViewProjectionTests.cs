using System.Text.Json;
using System.Text.Json.Nodes;
using EventStore.Domain.Trading.Orders;
using EventStore.Projections.Trading;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

public sealed class OrderViewProjectionTests
{
    private static OrderView Project(IEnumerable<object> events)
    {
        OrderView? view = null;
        foreach (var e in events)
        {
            view = (e, view) switch
            {
                (OrderPlaced x, null) => OrderViewProjection.Start(x, PersonalDataFixture.OpenerFor(UserId)),
                (OrderRejected x, null) => OrderViewProjection.Start(x, PersonalDataFixture.OpenerFor(UserId)),
                (OrderFilled x, { } v) => Apply(() => OrderViewProjection.Fold(x, v), v),
                (OrderCancelled x, { } v) => Apply(() => OrderViewProjection.Fold(x, v), v),
                (OrderExpired x, { } v) => Apply(() => OrderViewProjection.Fold(x, v), v),
                (OrderAmended x, { } v) => Apply(() => OrderViewProjection.Fold(x, v), v),
                _ => throw new ArgumentException($"Not projected here: {e.GetType().Name}", nameof(events)),
            };
        }

        return view ?? throw new ArgumentException("No events.", nameof(events));
    }

    private static OrderView Apply(Action apply, OrderView view)
    {
        apply();
        return view;
    }

    private static OrderFilled Fill(decimal quantity, decimal price, decimal fee, decimal filled, decimal remaining, DateTimeOffset at) =>
        PastFill(OrderSide.Buy, quantity, price, fee, filled, remaining) with { FilledAt = at };

    [Fact]
    public void a_placed_order_starts_its_history_open()
    {
        var view = Project([Placed(OrderSide.Buy, OrderType.Limit, 10, 100.50m, TimeInForce.Day)]);

        Assert.Equal((OrderId, UserId, "client-1", Symbol), (view.Id, view.UserId, view.ClientOrderId, view.Symbol));
        Assert.Equal((OrderStatus.Open, 10m, (decimal?)100.50m, 0m, Earlier, Earlier),
            (view.Status, view.Quantity, view.LimitPrice, view.FilledQuantity, view.PlacedAt, view.UpdatedAt));
        Assert.Null(view.AverageFillPrice);
        Assert.Equal([new OrderHistoryEntry("placed", OrderStatus.Open, Earlier, "Buy 10 ACME Limit @ 100.50 Day")], view.History);
    }

    [Fact]
    public void the_client_order_id_is_sealed_in_the_event_and_the_view_shows_null_once_the_owner_is_erased()
    {
        var placed = Placed(OrderSide.Buy, OrderType.Limit, 10, 100.50m, TimeInForce.Day);

        Assert.Equal(UserId, placed.ClientOrderId.Subject);
        Assert.DoesNotContain("client-1", JsonSerializer.Serialize(placed), StringComparison.Ordinal);
        Assert.Null(OrderViewProjection.Start(placed, PersonalDataFixture.ErasedOpener).ClientOrderId);
    }

    [Fact]
    public void an_order_stored_before_client_order_ids_were_sealed_still_reads_until_its_owner_is_erased()
    {
        // The stored JSON of such an event carries the id as a clear string.
        var stored = JsonSerializer.SerializeToNode(Placed(OrderSide.Buy, OrderType.Market, 10))!;
        stored["ClientOrderId"] = "old-style-7";
        var legacy = stored.Deserialize<OrderPlaced>()!;

        Assert.Equal("old-style-7", OrderViewProjection.Start(legacy, PersonalDataFixture.OpenerFor(UserId)).ClientOrderId);
        Assert.Null(OrderViewProjection.Start(legacy, PersonalDataFixture.ErasedOpener).ClientOrderId);
    }

    [Fact]
    public void fills_add_up_to_an_average_fill_price_and_total_fees_with_one_history_entry_each()
    {
        var view = Project([
            Placed(OrderSide.Buy, OrderType.Market, 10, null, TimeInForce.Gtc),
            Fill(4, 100.10m, 1.00m, 4, 6, Now.AddSeconds(-5)),
            Fill(6, 100.20m, 1.01m, 10, 0, Now),
        ]);

        // (4 × 100.10 + 6 × 100.20) / 10 = 1,001.60 / 10; fees are not part of the price
        Assert.Equal((10m, 1001.60m, 100.16m, 2.01m), (view.FilledQuantity, view.FilledNotional, view.AverageFillPrice, view.Fees));
        Assert.Equal((OrderStatus.Filled, Now), (view.Status, view.UpdatedAt));
        Assert.Equal(
            [("placed", OrderStatus.Open), ("filled", OrderStatus.PartiallyFilled), ("filled", OrderStatus.Filled)],
            view.History.Select(h => (h.Event, h.Status)));
        Assert.Equal($"6 @ 100.20 (fee 1.01, quote {QuoteId})", view.History[2].Detail);
    }

    [Fact]
    public void the_average_fill_price_is_rounded_to_eight_decimals()
    {
        var view = Project([
            Placed(OrderSide.Buy, OrderType.Market, 3, null, TimeInForce.Gtc),
            Fill(1, 100.00m, 1m, 1, 2, Now),
            Fill(2, 100.01m, 1m, 3, 0, Now),
        ]);

        Assert.Equal(100.00666667m, view.AverageFillPrice); // 300.02 / 3
    }

    [Fact]
    public void the_average_fill_price_rounds_a_midpoint_away_from_zero_like_every_other_amount()
    {
        // Fractional lots (0.001) and a 0.5 tick: 0.255 @ 65,000.0 and 0.001 @ 65,000.5 average 65,000.001953125 exactly.
        var view = Project([
            Placed(OrderSide.Buy, OrderType.Market, 0.256m, null, TimeInForce.Gtc),
            Fill(0.255m, 65_000.0m, 8.13m, 0.255m, 0.001m, Now),
            Fill(0.001m, 65_000.5m, 1m, 0.256m, 0m, Now),
        ]);

        Assert.Equal(65_000.00195313m, view.AverageFillPrice);
    }

    [Fact]
    public void an_ioc_remainder_cancel_closes_the_view_and_says_why()
    {
        var view = Project([
            Placed(OrderSide.Buy, OrderType.Limit, 10, 100.10m, TimeInForce.Ioc),
            Fill(4, 100.10m, 1m, 4, 6, Now),
            new OrderCancelled(OrderId, 6, "ioc-remainder", null, Now),
        ]);

        Assert.Equal((OrderStatus.Cancelled, 4m, 100.10m), (view.Status, view.FilledQuantity, view.AverageFillPrice));
        Assert.Equal(new OrderHistoryEntry("cancelled", OrderStatus.Cancelled, Now, "6 cancelled: ioc-remainder"), view.History[^1]);
    }

    [Fact]
    public void an_expiry_and_an_amend_are_recorded_in_the_history()
    {
        var view = Project([
            Placed(OrderSide.Sell, OrderType.Limit, 10, 101.00m, TimeInForce.Day),
            new OrderAmended(OrderId, 8, 101.50m, Now.AddHours(1)),
            new OrderExpired(OrderId, 8, Now.AddHours(6)),
        ]);

        Assert.Equal((8m, (decimal?)101.50m, OrderStatus.Expired, Now.AddHours(6)), (view.Quantity, view.LimitPrice, view.Status, view.UpdatedAt));
        Assert.Equal(
            [
                new OrderHistoryEntry("amended", OrderStatus.Open, Now.AddHours(1), "quantity 8, limit 101.50"),
                new OrderHistoryEntry("expired", OrderStatus.Expired, Now.AddHours(6), "8 expired at the session end"),
            ],
            view.History.Skip(1));
    }

    [Fact]
    public void a_rejected_order_is_created_rejected_with_its_reason_and_detail()
    {
        var view = Project([new OrderRejected(OrderId, UserId, PersonalDataFixture.Seal(UserId, "client-1"), Symbol, OrderSide.Buy, OrderType.Market, 10, null,
            TimeInForce.Day, RejectionReason.InsufficientBuyingPower, "This buy needs 1052.05 of buying power; 0 is available.", Now)]);

        Assert.Equal((OrderStatus.Rejected, (RejectionReason?)RejectionReason.InsufficientBuyingPower, Now),
            (view.Status, view.RejectionReason, view.PlacedAt));
        Assert.Equal(new OrderHistoryEntry("rejected", OrderStatus.Rejected, Now, "This buy needs 1052.05 of buying power; 0 is available."),
            Assert.Single(view.History));
    }

    [Fact]
    public void every_order_view_of_a_trading_day_matches_its_write_model()
    {
        var desk = PortfolioProjectionTests.TradingDay();

        foreach (var (orderId, events) in desk.OrderEvents)
        {
            var order = desk.OrderOf(orderId);
            var view = Project(events);
            Assert.Equal((order.Status, order.Quantity, order.FilledQuantity, order.LimitPrice),
                (view.Status, view.Quantity, view.FilledQuantity, view.LimitPrice));
            Assert.Equal(events.Count, view.History.Count);
        }

        // Filled in two parts, IOC partly filled, amended and filled, sold out, resting, cancelled.
        Assert.Equal(
            [OrderStatus.Filled, OrderStatus.Cancelled, OrderStatus.Filled, OrderStatus.Filled, OrderStatus.Open, OrderStatus.Cancelled],
            desk.OrderEvents.OrderBy(o => o.Key).Select(o => Project(o.Value).Status));
        Assert.Equal(100.4m, Project(desk.OrderEvents.MinBy(o => o.Key).Value).AverageFillPrice); // (8 × 100.10 + 12 × 100.60) / 20
    }

    [Fact]
    public void an_order_as_a_cancel_or_amend_decided_it_reads_as_the_projection_folds_its_stream()
    {
        var desk = PortfolioProjectionTests.TradingDay();

        foreach (var (orderId, events) in desk.OrderEvents)
        {
            var projected = Project(events);
            projected.Version = events.Count;
            var decided = OrderViewProjection.FromDecision(
                new DecidedOrder(orderId, desk.OrderOf(orderId).Status, events, events.Count, projected.ClientOrderId));
            Assert.Equal(JsonSerializer.Serialize(projected), JsonSerializer.Serialize(decided));
        }

        // The client order id is the one the handler opened (null once the owner is erased), never the sealed text.
        var (id, stream) = desk.OrderEvents.First();
        Assert.Null(OrderViewProjection.FromDecision(new DecidedOrder(id, OrderStatus.Open, stream, stream.Count, null)).ClientOrderId);
    }
}
