using EventStore.Domain.Auditing;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using Marten;

namespace EventStore.Domain.Trading.Orders;

/// <summary>Scheduled at placement for DAY orders: the session ended.</summary>
[Actor(SystemActors.Broker)]
public sealed record ExpireOrder(Guid OrderId);

public static class ExpireOrderHandler
{
    public static async Task Handle(ExpireOrder command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // Null when the order was filled or cancelled before the session ended: nothing to do.
        if (await OrderBook.LoadOpenAsync(session, command.OrderId, ct) is { } book)
        {
            book.Append(Decide(book.Order, book.Account.Aggregate, book.Position.Aggregate, clock.GetUtcNow()));
        }
    }

    /// <summary>Expires what is left of an open order and gives back what it still holds.</summary>
    public static TradeEvents Decide(Order order, CashAccount? account, Position? position, DateTimeOffset now)
    {
        var events = TradeEvents.Empty();
        if (!order.IsOpen)
        {
            return events;
        }

        events.Order.Add(new OrderExpired(order.Id, order.Remaining, now));
        Execution.Release(events, order, account, position, now);
        return events;
    }
}
