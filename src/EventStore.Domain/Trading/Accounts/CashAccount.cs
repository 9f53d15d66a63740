namespace EventStore.Domain.Trading.Accounts;

/// <summary>Write model of a user's cash: balance, and what open buy orders have reserved of it.</summary>
public sealed class CashAccount
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid UserId { get; set; }
    public decimal Balance { get; set; }
    public Dictionary<Guid, decimal> Reservations { get; set; } = [];

    public decimal Reserved => Reservations.Values.Sum();

    public decimal Available => Balance - Reserved;

    public decimal ReservedFor(Guid orderId) => Reservations.For(orderId);

    /// <summary>
    /// A private copy for a decision to try events on: the instance FetchForWriting returns is the inline snapshot that
    /// Marten applies the appended events to at commit, so it must not be changed by hand (it would count them twice).
    /// </summary>
    public CashAccount Copy() => new() { Id = Id, Version = Version, UserId = UserId, Balance = Balance, Reservations = new(Reservations) };

    public void Apply(CashAccountOpened e)
    {
        Id = e.AccountId;
        UserId = e.UserId;
    }

    public void Apply(CashDeposited e) => Balance += e.Amount;

    public void Apply(CashWithdrawn e) => Balance -= e.Amount;

    public void Apply(CashReserved e) => Reservations.Reserve(e.OrderId, e.Amount);

    public void Apply(CashReservationReleased e) => Reservations.Reduce(e.OrderId, e.Amount);

    public void Apply(BuyFillSettled e)
    {
        Balance -= e.Cost;
        Reservations.Reduce(e.OrderId, e.Cost);
    }

    public void Apply(SellFillSettled e) => Balance += e.Proceeds;

}
