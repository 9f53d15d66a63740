using EventStore.Domain.Auditing;
using EventStore.Domain.Commits;
using EventStore.Domain.Privacy;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Wolverine;

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

public static class DepositHandler
{
    /// <summary>
    /// The first deposit opens the account; FetchForWriting guards the stream version at commit. Two first deposits at
    /// once both start the stream: the loser fails on the stream id and is retried on the opened account (EventStoreSetup).
    /// Without an idempotency key the decision is committed with the other cash commands waiting at that moment
    /// (<see cref="GroupCommitter{T}"/>, docs/performance.md#group-commit); with one, the claim needs the user's key
    /// first, and the command keeps this handler's own transaction.
    /// </summary>
    public static async Task<CashBalance> Handle(Deposit command, IDocumentSession session, PersonalDataProtector protector,
        GroupCommitter<CashAccount> committer, IMessageContext context, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = TradingIds.AccountOf(command.UserId);
        if (command.IdempotencyKey is null)
        {
            return await committer.CommitAsync(id, EventStamp.Of(context), account => CashBalance.Decided(account, Decide(account, command, now)));
        }

        if (await FundingRequestClaim.AlreadyAppliedAsync(session, protector, command.UserId, command.IdempotencyKey,
            FundingRequestClaim.DepositKind, command.Amount, now, ct))
        {
            return CashBalance.Of(await session.Events.FetchLatest<CashAccount>(id, ct));
        }

        var stream = await session.Events.FetchForWriting<CashAccount>(id, ct);
        var events = Decide(stream.Aggregate, command, now);
        stream.AppendMany(events);
        return CashBalance.After(stream.Aggregate, events);
    }

    /// <summary>Opens the account on the first deposit. Pure: the account, the command and the time are inputs.</summary>
    public static IReadOnlyList<object> Decide(CashAccount? account, Deposit command, DateTimeOffset now)
    {
        var id = TradingIds.AccountOf(command.UserId);
        var deposited = new CashDeposited(id, command.Amount, now);
        return account is null
            ? [new CashAccountOpened(id, command.UserId, InstrumentCatalog.Currency, now), deposited]
            : [deposited];
    }
}
