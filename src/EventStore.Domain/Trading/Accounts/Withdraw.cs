using EventStore.Domain.Auditing;
using EventStore.Domain.Commits;
using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Wolverine;

namespace EventStore.Domain.Trading.Accounts;

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

public static class WithdrawHandler
{
    /// <summary>As <see cref="DepositHandler.Handle"/>: group-committed without an idempotency key, alone with one.</summary>
    public static async Task<CashBalance> Handle(Withdraw command, IDocumentSession session, PersonalDataProtector protector,
        GroupCommitter<CashAccount> committer, IMessageContext context, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = TradingIds.AccountOf(command.UserId);
        if (command.IdempotencyKey is null)
        {
            return await committer.CommitAsync(id, EventStamp.Of(context), account => CashBalance.Decided(account, Decide(account, command, now)));
        }

        if (await FundingRequestClaim.AlreadyAppliedAsync(session, protector, command.UserId, command.IdempotencyKey,
            FundingRequestClaim.WithdrawKind, command.Amount, now, ct))
        {
            return CashBalance.Of(await session.Events.FetchLatest<CashAccount>(id, ct));
        }

        var stream = await session.Events.FetchForWriting<CashAccount>(id, ct);
        var events = Decide(stream.Aggregate, command, now);
        stream.AppendMany(events);
        return CashBalance.After(stream.Aggregate, events);
    }

    /// <summary>Never below what open buy orders reserve: only <see cref="CashAccount.Available"/> can leave.</summary>
    /// <exception cref="InsufficientFundsException">The amount is more than is available.</exception>
    public static IReadOnlyList<object> Decide(CashAccount? account, Withdraw command, DateTimeOffset now)
    {
        if (account is null || command.Amount > account.Available)
        {
            throw new InsufficientFundsException(
                $"Cannot withdraw {command.Amount}: available {account?.Available ?? 0} (balance {account?.Balance ?? 0}, reserved by open orders {account?.Reserved ?? 0}).");
        }

        return [new CashWithdrawn(account.Id, command.Amount, now)];
    }
}
