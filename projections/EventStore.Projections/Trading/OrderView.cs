using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Orders;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Trading;

/// <summary>An order as its owner sees it, with its status history.</summary>
public sealed class OrderView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string ClientOrderId { get; set; } = "";
    public string Symbol { get; set; } = "";
    public OrderSide Side { get; set; }
    public OrderType Type { get; set; }
    public TimeInForce TimeInForce { get; set; }
    public decimal Quantity { get; set; }
    public decimal? LimitPrice { get; set; }
    public decimal FilledQuantity { get; set; }
    public decimal FilledNotional { get; set; }
    public decimal Fees { get; set; }
    public OrderStatus Status { get; set; }
    public RejectionReason? RejectionReason { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
    public List<OrderHistoryEntry> History { get; set; } = [];

    public decimal? AverageFillPrice => FilledQuantity == 0 ? null : Money.Cost(FilledNotional / FilledQuantity);
}

public sealed record OrderHistoryEntry(string Event, OrderStatus Status, DateTimeOffset At, string Detail);

public sealed class OrderViewProjection : SingleStreamProjection<OrderView, Guid>
{
    public static OrderView Create(OrderPlaced e) => Record(new OrderView
    {
        Id = e.OrderId, UserId = e.UserId, ClientOrderId = e.ClientOrderId, Symbol = e.Symbol, Side = e.Side, Type = e.Type,
        TimeInForce = e.TimeInForce, Quantity = e.Quantity, LimitPrice = e.LimitPrice, Status = OrderStatus.Open,
        PlacedAt = e.PlacedAt,
    }, "placed", e.PlacedAt, $"{e.Side} {e.Quantity} {e.Symbol} {e.Type}{(e.LimitPrice is { } l ? $" @ {l}" : "")} {e.TimeInForce}");

    public static OrderView Create(OrderRejected e) => Record(new OrderView
    {
        Id = e.OrderId, UserId = e.UserId, ClientOrderId = e.ClientOrderId, Symbol = e.Symbol, Side = e.Side, Type = e.Type,
        TimeInForce = e.TimeInForce, Quantity = e.Quantity, LimitPrice = e.LimitPrice, Status = OrderStatus.Rejected,
        RejectionReason = e.Reason, PlacedAt = e.RejectedAt,
    }, "rejected", e.RejectedAt, e.Detail);

    public static void Apply(OrderFilled e, OrderView view)
    {
        view.FilledQuantity = e.FilledQuantity;
        view.FilledNotional += e.Quantity * e.Price;
        view.Fees += e.Fee;
        view.Status = e.RemainingQuantity == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        Record(view, "filled", e.FilledAt, $"{e.Quantity} @ {e.Price} (fee {e.Fee}, quote {e.QuoteId})");
    }

    public static void Apply(OrderCancelled e, OrderView view)
    {
        view.Status = OrderStatus.Cancelled;
        Record(view, "cancelled", e.CancelledAt, $"{e.CancelledQuantity} cancelled: {e.Reason}");
    }

    public static void Apply(OrderExpired e, OrderView view)
    {
        view.Status = OrderStatus.Expired;
        Record(view, "expired", e.ExpiredAt, $"{e.ExpiredQuantity} expired at the session end");
    }

    public static void Apply(OrderAmended e, OrderView view)
    {
        view.Quantity = e.Quantity;
        view.LimitPrice = e.LimitPrice;
        Record(view, "amended", e.AmendedAt, $"quantity {e.Quantity}{(e.LimitPrice is { } l ? $", limit {l}" : "")}");
    }

    private static OrderView Record(OrderView view, string name, DateTimeOffset at, string detail)
    {
        view.UpdatedAt = at;
        view.History.Add(new OrderHistoryEntry(name, view.Status, at, detail));
        return view;
    }
}
