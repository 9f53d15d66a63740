namespace EventStore.Domain.Trading.Orders;

/// <summary>Write model of an order. The client order id is not part of it: no decision reads it (the claim enforces it).</summary>
public sealed class Order
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid UserId { get; set; }
    public string Symbol { get; set; } = "";
    public OrderSide Side { get; set; }
    public OrderType Type { get; set; }
    public TimeInForce TimeInForce { get; set; }
    public decimal Quantity { get; set; }
    public decimal? LimitPrice { get; set; }
    public decimal FilledQuantity { get; set; }
    public OrderStatus Status { get; set; }
    public DateTimeOffset PlacedAt { get; set; }

    public decimal Remaining => Quantity - FilledQuantity;

    public bool IsOpen => Status is OrderStatus.Open or OrderStatus.PartiallyFilled;

    /// <summary>A private copy for a decision to try events on (see <see cref="Accounts.CashAccount.Copy"/>).</summary>
    public Order Copy() => (Order)MemberwiseClone();

    public void Apply(OrderPlaced e)
    {
        Id = e.OrderId;
        UserId = e.UserId;
        Symbol = e.Symbol;
        Side = e.Side;
        Type = e.Type;
        TimeInForce = e.TimeInForce;
        Quantity = e.Quantity;
        LimitPrice = e.LimitPrice;
        Status = OrderStatus.Open;
        PlacedAt = e.PlacedAt;
    }

    public void Apply(OrderRejected e)
    {
        Id = e.OrderId;
        UserId = e.UserId;
        Symbol = e.Symbol;
        Side = e.Side;
        Type = e.Type;
        Quantity = e.Quantity;
        LimitPrice = e.LimitPrice;
        TimeInForce = e.TimeInForce;
        Status = OrderStatus.Rejected;
        PlacedAt = e.RejectedAt;
    }

    public void Apply(OrderFilled e)
    {
        FilledQuantity = e.FilledQuantity;
        Status = e.RemainingQuantity == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
    }

    public void Apply(OrderCancelled e) => Status = OrderStatus.Cancelled;

    public void Apply(OrderExpired e) => Status = OrderStatus.Expired;

    public void Apply(OrderAmended e)
    {
        Quantity = e.Quantity;
        LimitPrice = e.LimitPrice;
    }

    /// <summary>Does <paramref name="price"/> (ask for a buy, bid for a sell) satisfy this order's limit?</summary>
    public bool Accepts(decimal price) => Type == OrderType.Market || LimitPrice is not { } limit
        || (Side == OrderSide.Buy ? price <= limit : price >= limit);
}
