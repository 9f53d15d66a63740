using EventStore.Domain.Privacy;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Positions;
using Marten;
using JasperFx.Events;

namespace EventStore.Domain.Trading.Orders;

/// <summary>An order loaded for writing with the account and position streams its reservations live on.</summary>
public sealed record OrderBook(Order Order, IEventStream<Order> OrderStream, IEventStream<CashAccount> Account, IEventStream<Position> Position)
{
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

/// <summary>
/// An order its owner changes (cancel, amend): its <see cref="OrderBook"/>, the instrument when the decision needs it, and
/// what the answer needs besides the decision: the order's events as loaded and the owner's personal-data key.
/// </summary>
public sealed class OrderChange
{
    private readonly IReadOnlyList<object> _loaded;
    private readonly long _loadedVersion;
    private readonly PersonalDataKey? _ownerKey;
    private readonly List<object> _appended = [];

    private OrderChange(OrderBook book, Instrument? instrument, IReadOnlyList<object> loaded, long loadedVersion, PersonalDataKey? ownerKey)
    {
        Book = book;
        Instrument = instrument;
        _loaded = loaded;
        _loadedVersion = loadedVersion;
        _ownerKey = ownerKey;
    }

    public OrderBook Book { get; }

    /// <summary>Loaded only when asked for (<c>withInstrument</c>); null otherwise.</summary>
    public Instrument? Instrument { get; }

    /// <summary>
    /// Loads the caller's order for a change in two round trips. First one batch: the order (its version and snapshot row,
    /// without the expected version, so that ownership is checked first: someone else's order is NOT_FOUND whatever version
    /// was sent; the version read here is still asserted when the transaction commits), the order's events and the caller's
    /// personal-data key (for the answer), and the caller's cash account. <see cref="OrderRules.MustBeChangeable"/> then
    /// decides on the order, so a refusal costs that one round trip. Then the position on the order's symbol, and the
    /// instrument when <paramref name="withInstrument"/>, which both need the symbol.
    /// </summary>
    public static async Task<OrderChange> LoadAsync(IDocumentSession session, Guid orderId, Guid userId, long? expectedVersion,
        bool withInstrument, CancellationToken ct)
    {
        // The account first: its snapshot is kept by the daemon, and Marten reads it (with the events after it) only as
        // the first thing in a batch.
        var first = session.CreateBatchQuery();
        var accountRead = first.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(userId));
        var orderRead = first.Events.FetchForWriting<Order>(orderId);
        var eventsRead = first.Events.FetchStream(orderId);
        var keyRead = first.Load<PersonalDataKey>(userId);
        await first.Execute(ct);
        var stream = await orderRead;
        var order = OrderRules.MustBeChangeable(stream.Aggregate, userId, stream.CurrentVersion, expectedVersion);

        var second = session.CreateBatchQuery();
        var positionRead = second.Events.FetchForWriting<Position>(TradingIds.PositionOf(userId, order.Symbol));
        var instrumentRead = withInstrument ? second.Events.FetchLatest<Instrument>(TradingIds.Instrument(order.Symbol)) : null;
        await second.Execute(ct);

        // The events are read after the version in the same batch: any appended in between make the commit fail on that
        // version, so the answer never shows events beyond the ones this decision was taken on.
        var version = stream.CurrentVersion ?? 0;
        var loaded = (await eventsRead).Where(e => e.Version <= version).Select(e => e.Data).ToList();
        var book = new OrderBook(order.Copy(), stream, await accountRead, await positionRead);
        return new OrderChange(book, instrumentRead is null ? null : await instrumentRead, loaded, version, await keyRead);
    }

    /// <summary>Appends the decided events (<see cref="OrderBook.Append"/>) and keeps the order's for the answer.</summary>
    public void Append(TradeEvents events)
    {
        Book.Append(events);
        _appended.AddRange(events.Order);
    }

    /// <summary>
    /// The order as the change left it: its events as loaded with those just appended, its version, and its client order id
    /// opened with the owner's key as the order's read model opens it (null once the owner is erased).
    /// </summary>
    public DecidedOrder Decided(PersonalDataProtector protector)
    {
        var clientOrderId = _loaded.Count > 0 && _loaded[0] is OrderPlaced placed
            ? protector.OpenerFor(_ownerKey is null ? [] : [_ownerKey]).Open(placed.ClientOrderId, placed.UserId)
            : null;
        return new DecidedOrder(Book.Order.Id, Book.Order.Status, [.. _loaded, .. _appended], _loadedVersion + _appended.Count,
            clientOrderId);
    }
}

/// <summary>
/// An order as a trader's change (cancel, amend) decided it, for the caller to answer with instead of reading it back:
/// every event of its stream (the ones just appended last), the stream's version after them, and the client order id in
/// clear (null once the owner is erased).
/// </summary>
public sealed record DecidedOrder(Guid OrderId, OrderStatus Status, IReadOnlyList<object> Events, long Version, string? ClientOrderId);

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
