namespace EventStore.Domain.Trading.Accounts;

// One cash account per user; stream id = TradingIds.AccountOf(userId). Amounts are decimals in the account currency.

public sealed record CashAccountOpened(Guid AccountId, Guid UserId, string Currency, DateTimeOffset OpenedAt);

public sealed record CashDeposited(Guid AccountId, decimal Amount, DateTimeOffset DepositedAt);

public sealed record CashWithdrawn(Guid AccountId, decimal Amount, DateTimeOffset WithdrawnAt);

/// <summary>Buying power set aside for an open buy order.</summary>
public sealed record CashReserved(Guid AccountId, Guid OrderId, decimal Amount, DateTimeOffset ReservedAt);

/// <summary>Reservation given back: order cancelled, expired, amended down, or fully filled with money left over.</summary>
public sealed record CashReservationReleased(Guid AccountId, Guid OrderId, decimal Amount, DateTimeOffset ReleasedAt);

/// <summary>A buy fill paid: Cost (price × quantity + fee) leaves the balance, the same amount leaves the reservation.</summary>
public sealed record BuyFillSettled(Guid AccountId, Guid OrderId, Guid FillId, decimal Cost, DateTimeOffset SettledAt);

/// <summary>A sell fill paid: Proceeds (price × quantity − fee) enter the balance.</summary>
public sealed record SellFillSettled(Guid AccountId, Guid OrderId, Guid FillId, decimal Proceeds, DateTimeOffset SettledAt);
