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
/// second insert of the same key fails on the primary key. A refused command (insufficient funds) claims nothing.
/// </summary>
public sealed class FundingRequestClaim
{
    public const int MaxKeyLength = 64;

    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public decimal Amount { get; set; }

    public static string KeyFor(Guid userId, string idempotencyKey) => $"{userId:N}/{idempotencyKey}";

    /// <summary>
    /// True when this exact request was already applied (do nothing); false when the key is new (it is claimed in the
    /// session). A key already used for a different request is a CONFLICT.
    /// </summary>
    public static async Task<bool> AlreadyAppliedAsync(IDocumentSession session, Guid userId, string? idempotencyKey, string kind,
        decimal amount, CancellationToken ct)
    {
        if (idempotencyKey is null)
        {
            return false;
        }

        var id = KeyFor(userId, idempotencyKey);
        if (await session.LoadAsync<FundingRequestClaim>(id, ct) is { } earlier)
        {
            return earlier.Kind == kind && earlier.Amount == amount
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
    /// <summary>The first deposit opens the account; FetchForWriting guards the stream version at commit.</summary>
    public static async Task Handle(Deposit command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await FundingRequestClaim.AlreadyAppliedAsync(session, command.UserId, command.IdempotencyKey, "deposit", command.Amount, ct))
        {
            return;
        }

        var id = TradingIds.AccountOf(command.UserId);
        var stream = await session.Events.FetchForWriting<CashAccount>(id, ct);
        stream.AppendMany(DecideDeposit(stream.Aggregate, id, command, clock.GetUtcNow()));
    }

    public static async Task Handle(Withdraw command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await FundingRequestClaim.AlreadyAppliedAsync(session, command.UserId, command.IdempotencyKey, "withdraw", command.Amount, ct))
        {
            return;
        }

        var stream = await session.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(command.UserId), ct);
        stream.AppendOne(DecideWithdrawal(stream.Aggregate, command, clock.GetUtcNow()));
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

/// <summary>Not enough available cash (balance minus reservations): code CONFLICT with reason INSUFFICIENT_FUNDS.</summary>
public sealed class InsufficientFundsException(string message) : DomainException(message);
