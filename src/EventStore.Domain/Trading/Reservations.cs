namespace EventStore.Domain.Trading;

/// <summary>
/// Per-order reservations (cash on an account, shares on a position): one bookkeeping for write models and read models,
/// so they cannot drift apart. An order's entry disappears when nothing is left of it.
/// </summary>
public static class Reservations
{
    public static decimal For(this Dictionary<Guid, decimal> reservations, Guid orderId) =>
        reservations.GetValueOrDefault(orderId);

    public static void Reserve(this Dictionary<Guid, decimal> reservations, Guid orderId, decimal amount) =>
        reservations[orderId] = reservations.For(orderId) + amount;

    /// <summary>Takes up to <paramref name="amount"/> off the order's reservation (a fill may cost more than was reserved).</summary>
    public static void Reduce(this Dictionary<Guid, decimal> reservations, Guid orderId, decimal amount)
    {
        var left = reservations.For(orderId) - amount;
        if (left > 0)
        {
            reservations[orderId] = left;
        }
        else
        {
            reservations.Remove(orderId);
        }
    }
}
