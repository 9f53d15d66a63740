using EventStore.Domain.Privacy;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Trading.Accounts;

/// <summary>
/// Makes a cash command safe to retry: a client that lost the answer sends it again under the same key, and the store
/// decides. The claim is inserted in the command's transaction, so it exists exactly when the command's events do; a
/// second insert of the same key fails on the primary key, and the retry of that loser finds this claim. A refused
/// command (insufficient funds) claims nothing. The key is the client's own text, so the id holds only its keyed hash
/// under the user's key (<see cref="PersonalDataProtector.Lookup"/>), and erasure deletes the user's claims (<see cref="IPersonalLookup"/>).
/// </summary>
[DuplicateConflict("A request with this idempotency key was applied meanwhile; send it again to get its result.")]
public sealed class FundingRequestClaim : ICreatedOnFirstUse, IPersonalLookup
{
    public const int MaxKeyLength = 64;
    public const string LookupPurpose = "idempotency-key";
    public const string DepositKind = "deposit";
    public const string WithdrawKind = "withdraw";

    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public decimal Amount { get; set; }

    /// <summary><c>&lt;userId N&gt;/#&lt;keyed hash&gt;</c>; '#' is not allowed in a key, so no legacy id looks like this.</summary>
    public static string KeyFor(Guid userId, string lookup) => $"{UserPrefix(userId)}#{lookup}";

    /// <summary>The id claims had before keys were hashed (the key in clear): still honoured, never written again.</summary>
    public static string LegacyKeyFor(Guid userId, string idempotencyKey) => $"{UserPrefix(userId)}{idempotencyKey}";

    private static string UserPrefix(Guid userId) => PersonalLookups.IdPrefix(userId);

    /// <summary>
    /// True when this exact request was already applied (do nothing); false when the key is new (it is claimed in the
    /// session). A key already used for a different request is a CONFLICT. Load, decide (<see cref="Applied"/>), insert.
    /// </summary>
    public static async Task<bool> AlreadyAppliedAsync(IDocumentSession session, PersonalDataProtector protector, Guid userId,
        string? idempotencyKey, string kind, decimal amount, DateTimeOffset now, CancellationToken ct)
    {
        if (idempotencyKey is null)
        {
            return false;
        }

        var personal = await protector.SealerAsync(session, userId, now, ct);
        var id = KeyFor(userId, personal.Lookup(LookupPurpose, idempotencyKey));
        var earlier = await session.LoadManyAsync<FundingRequestClaim>(ct, id, LegacyKeyFor(userId, idempotencyKey));
        if (Applied(earlier.Count > 0 ? earlier[0] : null, kind, amount))
        {
            return true;
        }

        session.Insert(new FundingRequestClaim { Id = id, Kind = kind, Amount = amount });
        return false;
    }

    /// <summary>Was this request applied under its key before? Pure; a key used for another request is a CONFLICT.</summary>
    public static bool Applied(FundingRequestClaim? earlier, string kind, decimal amount) => earlier switch
    {
        null => false,
        _ when earlier.Kind == kind && earlier.Amount == amount => true,
        _ => throw new ConflictException("This idempotency key was already used for a different request."),
    };
}

public static class IdempotencyKeyRules
{
    public static IRuleBuilderOptions<T, string> MustBeIdempotencyKey<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(FundingRequestClaim.MaxKeyLength)
            .Matches("^[A-Za-z0-9_.:-]+$").WithMessage("'Idempotency Key' may contain letters, digits, '_', '.', ':' and '-'.");
}
