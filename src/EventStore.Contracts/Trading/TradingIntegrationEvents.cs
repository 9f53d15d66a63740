namespace EventStore.Contracts.Trading;

// Outbound facts of the Trading module. Key: the order id, so one order's events keep their order on one partition.
// Enumerations travel as upper-case strings (BUY, LIMIT, GTC, ...).

[IntegrationEvent(IntegrationModules.Trading, "order-placed", 1)]
public sealed record OrderPlaced(
    Guid OrderId, Guid UserId, string Symbol, string Side, string OrderType, decimal Quantity, decimal? LimitPrice,
    string TimeInForce, DateTimeOffset PlacedAt) : IntegrationEvent;

/// <summary>A pre-trade check refused the order; <see cref="Reason"/> is the API's ORDER_REJECTED reason.</summary>
[IntegrationEvent(IntegrationModules.Trading, "order-rejected", 1)]
public sealed record OrderRejected(
    Guid OrderId, Guid UserId, string Symbol, string Side, string OrderType, decimal Quantity, string Reason,
    DateTimeOffset RejectedAt) : IntegrationEvent;

/// <summary>One execution. <see cref="RemainingQuantity"/> 0 means the order is completely filled.</summary>
[IntegrationEvent(IntegrationModules.Trading, "order-filled", 1)]
public sealed record OrderFilled(
    Guid OrderId, Guid FillId, Guid UserId, string Symbol, string Side, decimal Quantity, decimal Price, decimal Fee,
    decimal FilledQuantity, decimal RemainingQuantity, DateTimeOffset FilledAt) : IntegrationEvent;

/// <summary>The rest of an order will not execute. Reason: REQUESTED (by the trader), IOC_REMAINDER or EXPIRED (DAY order at session end).</summary>
[IntegrationEvent(IntegrationModules.Trading, "order-cancelled", 1)]
public sealed record OrderCancelled(
    Guid OrderId, Guid UserId, string Symbol, decimal CancelledQuantity, string Reason, DateTimeOffset CancelledAt)
    : IntegrationEvent
{
    public const string Requested = "REQUESTED";
    public const string IocRemainder = "IOC_REMAINDER";
    public const string Expired = "EXPIRED";
}
