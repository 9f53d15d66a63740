namespace EventStore.Domain.Trading.Orders;

/// <summary>
/// Makes a client order id unique per user for the life of the order (that is, for ever: orders are never deleted),
/// enforced by the store: the claim is inserted in the order's transaction and a second insert of the same id fails.
/// Rejected orders do not claim their id, so a client can retry a refused order under the same id.
/// </summary>
public sealed class ClientOrderIdClaim
{
    public string Id { get; set; } = "";
    public Guid OrderId { get; set; }

    public static string KeyFor(Guid userId, string clientOrderId) => $"{userId:N}/{clientOrderId}";
}
