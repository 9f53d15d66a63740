using EventStore.Domain.Privacy;
using Marten;

namespace EventStore.Domain.Trading.Orders;

/// <summary>
/// Makes a client order id unique per user for the life of the order (that is, for ever: orders are never deleted),
/// enforced by the store: the claim is inserted in the order's transaction and a second insert of the same id fails (the
/// loser's retry then finds this claim and is refused). Rejected orders do not claim their id, so a client can retry a
/// refused order under the same id. The client order id is the client's own text: the id holds only its keyed hash under
/// the user's key (<see cref="PersonalDataProtector.Lookup"/>), and erasure deletes the user's claims (<see cref="IPersonalLookup"/>).
/// </summary>
[DuplicateConflict(AlreadyUsed)]
public sealed class ClientOrderIdClaim : ICreatedOnFirstUse, IPersonalLookup
{
    public const string LookupPurpose = "client-order-id";
    public const string AlreadyUsed = "This client order id was already used for another order.";

    public string Id { get; set; } = "";
    public Guid OrderId { get; set; }

    /// <summary><c>&lt;userId N&gt;/#&lt;keyed hash&gt;</c>; '#' is not allowed in a client order id, so no legacy id looks like this.</summary>
    public static string KeyFor(Guid userId, string lookup) => $"{UserPrefix(userId)}#{lookup}";

    /// <summary>The id claims had before client order ids were hashed (in clear): still honoured, never written again.</summary>
    public static string LegacyKeyFor(Guid userId, string clientOrderId) => $"{UserPrefix(userId)}{clientOrderId}";

    private static string UserPrefix(Guid userId) => PersonalLookups.IdPrefix(userId);

    /// <summary>
    /// Claims <paramref name="lookup"/> in the session, or refuses an id this user has used before (CONFLICT): load,
    /// decide (<see cref="MustBeUnused"/>), insert. A claim inserted meanwhile fails the commit, typed by the store's
    /// refusal of a second <see cref="ClientOrderIdClaim"/> (<see cref="DuplicateConflictAttribute"/>).
    /// </summary>
    public static async Task ClaimAsync(IDocumentSession session, Guid userId, string clientOrderId, string lookup, Guid orderId,
        CancellationToken ct)
    {
        var id = KeyFor(userId, lookup);
        MustBeUnused(await session.LoadManyAsync<ClientOrderIdClaim>(ct, id, LegacyKeyFor(userId, clientOrderId)));
        session.Insert(new ClientOrderIdClaim { Id = id, OrderId = orderId });
    }

    public static void MustBeUnused(IReadOnlyCollection<ClientOrderIdClaim> earlier)
    {
        if (earlier.Count > 0)
        {
            throw new ConflictException(AlreadyUsed);
        }
    }
}
