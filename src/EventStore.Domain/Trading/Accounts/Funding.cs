using FluentValidation;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Trading.Accounts;

public sealed record Deposit(Guid UserId, decimal Amount)
{
    public const decimal MaxAmount = 100_000_000m;

    public sealed class Validator : AbstractValidator<Deposit>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Amount).Cascade(CascadeMode.Stop).GreaterThan(0).LessThanOrEqualTo(MaxAmount)
                .Must(a => a == Money.Cash(a)).WithMessage("'Amount' must have at most 2 decimals.");
        }
    }
}

public sealed record Withdraw(Guid UserId, decimal Amount)
{
    public sealed class Validator : AbstractValidator<Withdraw>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Amount).Cascade(CascadeMode.Stop).GreaterThan(0)
                .Must(a => a == Money.Cash(a)).WithMessage("'Amount' must have at most 2 decimals.");
        }
    }
}

public static class FundingHandler
{
    /// <summary>The first deposit opens the account; FetchForWriting guards the stream version at commit.</summary>
    public static async Task Handle(Deposit command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = TradingIds.AccountOf(command.UserId);
        var stream = await session.Events.FetchForWriting<CashAccount>(id, ct);
        stream.AppendMany(DecideDeposit(stream.Aggregate, id, command, clock.GetUtcNow()));
    }

    public static async Task Handle(Withdraw command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
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
