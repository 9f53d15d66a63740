using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using Marten;
using JasperFx.Events;

namespace EventStore.Domain.Trading.Orders;

/// <summary>An order loaded for writing with the account and position streams its reservations live on.</summary>
public sealed record OrderBook(Order Order, IEventStream<Order> OrderStream, IEventStream<CashAccount> Account, IEventStream<Position> Position)
{
    /// <summary>
    /// Loads the caller's order for a change (cancel, amend). <see cref="OrderRules.MustBeChangeable"/> decides on the
    /// order before the other two streams are read, so a refusal costs one read.
    /// </summary>
    public static async Task<OrderBook> LoadChangeableAsync(IDocumentSession session, Guid orderId, Guid userId, long? expectedVersion,
        CancellationToken ct)
    {
        // Fetched without the expected version so that ownership is checked first (someone else's order is NOT_FOUND,
        // whatever version was sent); the version read here is still asserted when the transaction commits.
        var stream = await session.Events.FetchForWriting<Order>(orderId, ct);
        var order = OrderRules.MustBeChangeable(stream.Aggregate, userId, stream.CurrentVersion, expectedVersion);
        return await WithReservationsAsync(session, order, stream, ct);
    }

    /// <summary>Loads the order for the broker (match, expiry); null when it can no longer execute (nothing to do).</summary>
    public static async Task<OrderBook?> LoadOpenAsync(IDocumentSession session, Guid orderId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Order>(orderId, ct);
        return stream.Aggregate is { IsOpen: true } open ? await WithReservationsAsync(session, open, stream, ct) : null;
    }

    private static async Task<OrderBook> WithReservationsAsync(IDocumentSession session, Order order, IEventStream<Order> stream,
        CancellationToken ct)
    {
        var account = await session.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(order.UserId), ct);
        var position = await session.Events.FetchForWriting<Position>(TradingIds.PositionOf(order.UserId, order.Symbol), ct);
        return new OrderBook(order.Copy(), stream, account, position);
    }

    /// <summary>Appends the events and applies the order's to <see cref="Order"/>, a copy of the snapshot, never the snapshot itself.</summary>
    public void Append(TradeEvents events)
    {
        OrderStream.AppendMany(events.Order);
        Account.AppendMany(events.Account);
        Position.AppendMany(events.Position);
        foreach (var e in events.Order)
        {
            TradingApply.To(Order, e);
        }
    }
}

/// <summary>State rules on an order a trader wants to change. Pure: the order, its version and the caller are inputs.</summary>
public static class OrderRules
{
    /// <summary>Another user's order is reported as not found, not as forbidden.</summary>
    public static Order MustBeChangeable(Order? order, Guid userId, long? version, long? expectedVersion)
    {
        if (order is null || order.Id == Guid.Empty || order.UserId != userId)
        {
            throw new NotFoundException("Order not found.");
        }

        if (expectedVersion is { } expected && version != expected)
        {
            throw new ConflictException($"The order is at version {version}, not {expected}: reload it and retry.");
        }

        if (!order.IsOpen)
        {
            throw new ConflictException($"The order is {order.Status.ToString().ToLowerInvariant()} and can no longer change.");
        }

        return order;
    }
}
