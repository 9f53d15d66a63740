using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Trading.Accounts;

/// <param name="IdempotencyKey">Optional, chosen by the client: the same deposit sent again under the same key is applied once.</param>
public sealed record Deposit(Guid UserId, decimal Amount, [SingleLine(FundingRequestClaim.MaxKeyLength)] string? IdempotencyKey = null)
{
    public const decimal MaxAmount = 100_000_000m;

    public sealed class Validator : AbstractValidator<Deposit>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Amount).Cascade(CascadeMode.Stop).GreaterThan(0).LessThanOrEqualTo(MaxAmount)
                .Must(a => a == Money.Cash(a)).WithMessage("'Amount' must have at most 2 decimals.");
            RuleFor(x => x.IdempotencyKey!).MustBeIdempotencyKey().When(x => x.IdempotencyKey is not null);
        }
    }
}

/// <param name="IdempotencyKey">Optional, chosen by the client: the same withdrawal sent again under the same key is applied once.</param>
public sealed record Withdraw(Guid UserId, decimal Amount, [SingleLine(FundingRequestClaim.MaxKeyLength)] string? IdempotencyKey = null)
{
    public sealed class Validator : AbstractValidator<Withdraw>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Amount).Cascade(CascadeMode.Stop).GreaterThan(0)
                .Must(a => a == Money.Cash(a)).WithMessage("'Amount' must have at most 2 decimals.");
            RuleFor(x => x.IdempotencyKey!).MustBeIdempotencyKey().When(x => x.IdempotencyKey is not null);
        }
    }
}

/// <summary>
/// Makes a cash command safe to retry: a client that lost the answer sends it again under the same key, and the store
/// decides. The claim is inserted in the command's transaction, so it exists exactly when the command's events do; a
/// second insert of the same key fails on the primary key, and the retry of that loser finds this claim. A refused
/// command (insufficient funds) claims nothing. The key is the client's own text, so the id holds only its keyed hash
/// under the user's key (<see cref="PersonalDataProtector.Lookup"/>), and erasure deletes the user's claims (<see cref="IPersonalLookup"/>).
/// </summary>
public sealed class FundingRequestClaim : ICreatedOnFirstUse, IPersonalLookup
{
    public const int MaxKeyLength = 64;
    public const string LookupPurpose = "idempotency-key";

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
    /// session). A key already used for a different request is a CONFLICT.
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
        if (earlier.Count > 0 && earlier[0] is { } claim)
        {
            return claim.Kind == kind && claim.Amount == amount
                ? true
                : throw new ConflictException("This idempotency key was already used for a different request.");
        }

        session.Insert(new FundingRequestClaim { Id = id, Kind = kind, Amount = amount });
        return false;
    }
}

public static class IdempotencyKeyRules
{
    public static IRuleBuilderOptions<T, string> MustBeIdempotencyKey<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(FundingRequestClaim.MaxKeyLength)
            .Matches("^[A-Za-z0-9_.:-]+$").WithMessage("'Idempotency Key' may contain letters, digits, '_', '.', ':' and '-'.");
}

public static class FundingHandler
{
    /// <summary>
    /// The first deposit opens the account; FetchForWriting guards the stream version at commit. Two first deposits at
    /// once both start the stream: the loser fails on the stream id and is retried on the opened account (EventStoreSetup).
    /// </summary>
    public static async Task<CashBalance> Handle(Deposit command, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock,
        CancellationToken ct)
    {
        var id = TradingIds.AccountOf(command.UserId);
        if (await FundingRequestClaim.AlreadyAppliedAsync(session, protector, command.UserId, command.IdempotencyKey, "deposit",
            command.Amount, clock.GetUtcNow(), ct))
        {
            return CashBalance.Of(await session.Events.FetchLatest<CashAccount>(id, ct));
        }

        var stream = await session.Events.FetchForWriting<CashAccount>(id, ct);
        var events = DecideDeposit(stream.Aggregate, id, command, clock.GetUtcNow()).ToList();
        stream.AppendMany(events);
        return CashBalance.After(stream.Aggregate, events);
    }

    public static async Task<CashBalance> Handle(Withdraw command, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock,
        CancellationToken ct)
    {
        var id = TradingIds.AccountOf(command.UserId);
        if (await FundingRequestClaim.AlreadyAppliedAsync(session, protector, command.UserId, command.IdempotencyKey, "withdraw",
            command.Amount, clock.GetUtcNow(), ct))
        {
            return CashBalance.Of(await session.Events.FetchLatest<CashAccount>(id, ct));
        }

        var stream = await session.Events.FetchForWriting<CashAccount>(id, ct);
        var withdrawn = DecideWithdrawal(stream.Aggregate, command, clock.GetUtcNow());
        stream.AppendOne(withdrawn);
        return CashBalance.After(stream.Aggregate, [withdrawn]);
    }

    public static IEnumerable<object> DecideDeposit(CashAccount? account, Guid accountId, Deposit command, DateTimeOffset now)
    {
        if (account is null)
        {
            yield return new CashAccountOpened(accountId, command.UserId, Instruments.InstrumentCatalog.Currency, now);
        }

        yield return new CashDeposited(accountId, command.Amount, now);
    }

    public static CashWithdrawn DecideWithdrawal(CashAccount? account, Withdraw command, DateTimeOffset now)
    {
        if (account is null || command.Amount > account.Available)
        {
            throw new InsufficientFundsException(
                $"Cannot withdraw {command.Amount}: available {account?.Available ?? 0} (balance {account?.Balance ?? 0}, reserved by open orders {account?.Reserved ?? 0}).");
        }

        return new CashWithdrawn(account.Id, command.Amount, now);
    }
}

/// <summary>
/// What a cash command decided, answered to the caller without reading the account again: the balance after the
/// appended events (or, for a request already applied under its idempotency key, the account as it stands now).
/// </summary>
public sealed record CashBalance(decimal Balance, decimal Reserved, decimal Available)
{
    public static CashBalance Of(CashAccount? account) => new(account?.Balance ?? 0, account?.Reserved ?? 0, account?.Available ?? 0);

    /// <summary>Applies <paramref name="appended"/> to a copy: the fetched aggregate itself stays as Marten loaded it.</summary>
    public static CashBalance After(CashAccount? account, IEnumerable<object> appended)
    {
        var after = account?.Copy() ?? new CashAccount();
        foreach (var e in appended)
        {
            switch (e)
            {
                case CashAccountOpened opened: after.Apply(opened); break;
                case CashDeposited deposited: after.Apply(deposited); break;
                case CashWithdrawn withdrawn: after.Apply(withdrawn); break;
                default: throw new InvalidOperationException($"A cash command does not append {e.GetType().Name}.");
            }
        }

        return Of(after);
    }
}

/// <summary>Not enough available cash (balance minus reservations): code CONFLICT with reason INSUFFICIENT_FUNDS.</summary>
public sealed class InsufficientFundsException(string message) : DomainException(message);
