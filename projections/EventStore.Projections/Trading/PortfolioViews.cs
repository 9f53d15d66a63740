using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Trading;

/// <summary>A user's cash: balance and what open buy orders reserve.</summary>
public sealed class CashAccountView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Currency { get; set; } = "";
    public decimal Balance { get; set; }
    public Dictionary<Guid, decimal> Reservations { get; set; } = [];
    public decimal ReservedCash => Reservations.Values.Sum();
}

public sealed class CashAccountViewProjection : SingleStreamProjection<CashAccountView, Guid>
{
    public static CashAccountView Create(CashAccountOpened e) => new() { Id = e.AccountId, UserId = e.UserId, Currency = e.Currency };

    public static void Apply(CashDeposited e, CashAccountView v) => v.Balance += e.Amount;

    public static void Apply(CashWithdrawn e, CashAccountView v) => v.Balance -= e.Amount;

    public static void Apply(CashReserved e, CashAccountView v) => v.Reservations.Reserve(e.OrderId, e.Amount);

    public static void Apply(CashReservationReleased e, CashAccountView v) => v.Reservations.Reduce(e.OrderId, e.Amount);

    public static void Apply(BuyFillSettled e, CashAccountView v)
    {
        v.Balance -= e.Cost;
        v.Reservations.Reduce(e.OrderId, e.Cost);
    }

    public static void Apply(SellFillSettled e, CashAccountView v) => v.Balance += e.Proceeds;

}

/// <summary>A holding: quantity, average cost (fees included), realized P&amp;L.</summary>
public sealed class PositionView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Symbol { get; set; } = "";
    public decimal Quantity { get; set; }
    public decimal AverageCost { get; set; }
    public decimal RealizedPnl { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class PositionViewProjection : SingleStreamProjection<PositionView, Guid>
{
    public static PositionView Create(PositionOpened e) =>
        new() { Id = e.PositionId, UserId = e.UserId, Symbol = e.Symbol, UpdatedAt = e.OpenedAt };

    public static void Apply(PositionIncreased e, PositionView v)
    {
        v.Quantity = e.NewQuantity;
        v.AverageCost = e.NewAverageCost;
        v.UpdatedAt = e.FilledAt;
    }

    public static void Apply(PositionDecreased e, PositionView v)
    {
        v.Quantity = e.NewQuantity;
        v.RealizedPnl += e.RealizedPnl;
        v.AverageCost = e.NewQuantity == 0 ? 0 : v.AverageCost;
        v.UpdatedAt = e.FilledAt;
    }
}
