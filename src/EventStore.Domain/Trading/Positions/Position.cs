namespace EventStore.Domain.Trading.Positions;

/// <summary>Write model of a holding: quantity, average cost, realized P&amp;L, and shares reserved by open sells.</summary>
public sealed class Position
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid UserId { get; set; }
    public string Symbol { get; set; } = "";
    public decimal Quantity { get; set; }
    public decimal AverageCost { get; set; }
    public decimal RealizedPnl { get; set; }
    public Dictionary<Guid, decimal> Reservations { get; set; } = [];

    public decimal Reserved => Reservations.Values.Sum();

    public decimal Available => Quantity - Reserved;

    public decimal ReservedFor(Guid orderId) => Reservations.For(orderId);

    /// <summary>A private copy for a decision to try events on (see <see cref="Accounts.CashAccount.Copy"/>).</summary>
    public Position Copy()
    {
        var copy = (Position)MemberwiseClone();
        copy.Reservations = new(Reservations);
        return copy;
    }

    public void Apply(PositionOpened e)
    {
        Id = e.PositionId;
        UserId = e.UserId;
        Symbol = e.Symbol;
    }

    public void Apply(SharesReserved e) => Reservations.Reserve(e.OrderId, e.Quantity);

    public void Apply(SharesReservationReleased e) => Reservations.Reduce(e.OrderId, e.Quantity);

    public void Apply(PositionIncreased e)
    {
        Quantity = e.NewQuantity;
        AverageCost = e.NewAverageCost;
    }

    public void Apply(PositionDecreased e)
    {
        Quantity = e.NewQuantity;
        RealizedPnl += e.RealizedPnl;
        Reservations.Reduce(e.OrderId, e.Quantity);
        if (Quantity == 0)
        {
            AverageCost = 0;
        }
    }


    /// <summary>Average cost after buying <paramref name="quantity"/> at <paramref name="price"/> paying <paramref name="fee"/>.</summary>
    public static decimal AverageCostAfterBuy(decimal oldQuantity, decimal oldAverage, decimal quantity, decimal price, decimal fee) =>
        Money.Cost((oldQuantity * oldAverage + quantity * price + fee) / (oldQuantity + quantity));

    public static decimal RealizedPnlOfSale(decimal averageCost, decimal quantity, decimal price, decimal fee) =>
        Money.Cash(quantity * (price - averageCost) - fee);
}
