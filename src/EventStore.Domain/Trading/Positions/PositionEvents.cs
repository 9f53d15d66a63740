namespace EventStore.Domain.Trading.Positions;

// One position stream per (user, symbol); stream id = TradingIds.PositionOf(userId, symbol).

public sealed record PositionOpened(Guid PositionId, Guid UserId, string Symbol, DateTimeOffset OpenedAt);

/// <summary>Shares set aside for an open sell order (no short selling).</summary>
public sealed record SharesReserved(Guid PositionId, Guid OrderId, decimal Quantity, DateTimeOffset ReservedAt);

public sealed record SharesReservationReleased(Guid PositionId, Guid OrderId, decimal Quantity, DateTimeOffset ReleasedAt);

/// <summary>A buy fill: the new average cost includes the fee in the cost basis.</summary>
public sealed record PositionIncreased(
    Guid PositionId, Guid OrderId, Guid FillId, decimal Quantity, decimal Price, decimal Fee,
    decimal NewQuantity, decimal NewAverageCost, DateTimeOffset FilledAt);

/// <summary>A sell fill: realized P&amp;L = quantity × (price − average cost) − fee; the average cost is unchanged.</summary>
public sealed record PositionDecreased(
    Guid PositionId, Guid OrderId, Guid FillId, decimal Quantity, decimal Price, decimal Fee,
    decimal RealizedPnl, decimal NewQuantity, DateTimeOffset FilledAt);
