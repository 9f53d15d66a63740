using Marten.Events.Aggregation;

namespace EventStore.Domain.Trading.Orders;

/// <summary>
/// Index of the orders that can still execute, per symbol: what the broker scans on every quote. Inline on purpose:
/// the quote handler must see an order the moment its placement commits. Terminal orders are deleted from it.
/// </summary>
public sealed class OpenOrder
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Symbol { get; set; } = "";
    public OrderSide Side { get; set; }
    public OrderType Type { get; set; }
    public decimal? LimitPrice { get; set; }
    public decimal Quantity { get; set; }
    public decimal Filled { get; set; }

    /// <summary>Could a quote with this bid and ask execute this order?</summary>
    public bool CrossedBy(decimal bid, decimal ask) => Type == OrderType.Market || LimitPrice is not { } limit
        || (Side == OrderSide.Buy ? ask <= limit : bid >= limit);
}

public sealed class OpenOrderProjection : SingleStreamProjection<OpenOrder, Guid>
{
    public OpenOrderProjection()
    {
        DeleteEvent<OrderRejected>();
        DeleteEvent<OrderCancelled>();
        DeleteEvent<OrderExpired>();
    }

    public static OpenOrder Create(OrderPlaced e) => new()
    {
        Id = e.OrderId,
        UserId = e.UserId,
        Symbol = e.Symbol,
        Side = e.Side,
        Type = e.Type,
        LimitPrice = e.LimitPrice,
        Quantity = e.Quantity,
    };

    public static void Apply(OrderFilled e, OpenOrder view) => view.Filled = e.FilledQuantity;

    public static void Apply(OrderAmended e, OpenOrder view)
    {
        view.Quantity = e.Quantity;
        view.LimitPrice = e.LimitPrice;
    }

    public static bool ShouldDelete(OrderFilled e) => e.RemainingQuantity == 0;
}
