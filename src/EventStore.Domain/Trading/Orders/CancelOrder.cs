using EventStore.Domain.Privacy;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Trading.Orders;

/// <summary>The trader cancels an open order. <paramref name="ExpectedVersion"/>: the order version the trader saw.</summary>
public sealed record CancelOrder(Guid OrderId, Guid UserId, long? ExpectedVersion)
{
    public sealed class Validator : AbstractValidator<CancelOrder>
    {
        public Validator()
        {
            RuleFor(x => x.OrderId).NotEmpty();
            RuleFor(x => x.ExpectedVersion).GreaterThan(0).When(x => x.ExpectedVersion is not null);
        }
    }
}

public static class CancelOrderHandler
{
    /// <summary>Answers with the order as decided (<see cref="DecidedOrder"/>): the caller does not read it back.</summary>
    public static async Task<DecidedOrder> Handle(CancelOrder command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var change = await OrderChange.LoadAsync(session, command.OrderId, command.UserId, command.ExpectedVersion, withInstrument: false, ct);
        var book = change.Book;
        change.Append(Decide(book.Order, book.Account.Aggregate, book.Position.Aggregate, command, clock.GetUtcNow()));
        return change.Decided(protector);
    }

    /// <summary>Cancels what is left and gives back what the order still holds. <paramref name="order"/> is changeable (<see cref="OrderRules"/>).</summary>
    public static TradeEvents Decide(Order order, CashAccount? account, Position? position, CancelOrder command, DateTimeOffset now)
    {
        var events = TradeEvents.Empty();
        events.Order.Add(new OrderCancelled(order.Id, order.Remaining, "requested", command.UserId, now));
        Execution.Release(events, order, account, position, now);
        return events;
    }
}
