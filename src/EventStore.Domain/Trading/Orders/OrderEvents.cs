using EventStore.Domain.Privacy;

namespace EventStore.Domain.Trading.Orders;

// One stream per order (id created at the edge). Cash and share reservations live on the account and position streams,
// written in the same transaction.
//
// ClientOrderId is the client's own free text: it is sealed under the user's key (docs/compliance.md). Events stored before
// it was sealed hold it as a clear JSON string, which still reads (SealedText.LegacyClearText, docs/events.md).

public sealed record OrderPlaced(
    Guid OrderId, Guid UserId, SealedText ClientOrderId, Guid InstrumentId, string Symbol, OrderSide Side, OrderType Type,
    decimal Quantity, decimal? LimitPrice, TimeInForce TimeInForce, decimal ReservedCash, decimal ReservedShares,
    DateTimeOffset? ExpiresAt, DateTimeOffset PlacedAt);

public sealed record OrderRejected(
    Guid OrderId, Guid UserId, SealedText ClientOrderId, string Symbol, OrderSide Side, OrderType Type, decimal Quantity,
    decimal? LimitPrice, TimeInForce TimeInForce, RejectionReason Reason, string Detail, DateTimeOffset RejectedAt);

/// <summary>
/// An execution. Quote* identify the quote it executed against (best-execution audit): its id, time, bid and ask.
/// </summary>
public sealed record OrderFilled(
    Guid OrderId, Guid FillId, Guid UserId, string Symbol, OrderSide Side, decimal Quantity, decimal Price, decimal Fee,
    decimal FilledQuantity, decimal RemainingQuantity, Guid QuoteId, DateTimeOffset QuotedAt, decimal QuoteBid,
    decimal QuoteAsk, DateTimeOffset FilledAt);

public sealed record OrderCancelled(Guid OrderId, decimal CancelledQuantity, string Reason, Guid? CancelledBy, DateTimeOffset CancelledAt);

public sealed record OrderExpired(Guid OrderId, decimal ExpiredQuantity, DateTimeOffset ExpiredAt);

public sealed record OrderAmended(Guid OrderId, decimal Quantity, decimal? LimitPrice, DateTimeOffset AmendedAt);
