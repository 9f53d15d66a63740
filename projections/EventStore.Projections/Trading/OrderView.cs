using EventStore.Domain.Privacy;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Users;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace EventStore.Projections.Trading;

/// <summary>An order as its owner sees it, with its status history.</summary>
public sealed class OrderView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary>The client's own id, opened with the owner's key; null once the owner is erased.</summary>
    public string? ClientOrderId { get; set; }
    public string Symbol { get; set; } = "";
    public OrderSide Side { get; set; }
    public OrderType Type { get; set; }
    public TimeInForce TimeInForce { get; set; }
    public decimal Quantity { get; set; }
    public decimal? LimitPrice { get; set; }
    public decimal FilledQuantity { get; set; }
    public decimal FilledNotional { get; set; }
    public decimal Fees { get; set; }
    public OrderStatus Status { get; set; }
    public RejectionReason? RejectionReason { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
    public List<OrderHistoryEntry> History { get; set; } = [];

    public decimal? AverageFillPrice => FilledQuantity == 0 ? null : Money.Cost(FilledNotional / FilledQuantity);
}

public sealed record OrderHistoryEntry(string Event, OrderStatus Status, DateTimeOffset At, string Detail);

/// <summary>
/// Async projection, a pure function of the order's events and of its owner's key: the client order id is opened at
/// projection time, so once the owner is erased a rebuild gives the same rows as <see cref="TradingErasureProjection"/>
/// leaves behind (client order id null).
/// </summary>
public sealed class OrderViewProjection : SingleStreamProjection<OrderView, Guid>
{
    private readonly PersonalDataProtector _protector;

    public OrderViewProjection(PersonalDataProtector protector)
    {
        _protector = protector;
        // EvolveAsync declares no event types by itself: name them, so the daemon loads only these and the
        // reconciliation knows which events make an order.
        IncludeType<OrderPlaced>();
        IncludeType<OrderRejected>();
        IncludeType<OrderFilled>();
        IncludeType<OrderCancelled>();
        IncludeType<OrderExpired>();
        IncludeType<OrderAmended>();
    }

    public override async ValueTask<OrderView?> EvolveAsync(OrderView? snapshot, Guid id, IQuerySession session, IEvent e,
        CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case OrderPlaced placed:
                return Start(placed, await OpenerAsync(session, placed.UserId, placed.ClientOrderId, cancellation));
            case OrderRejected rejected:
                return Start(rejected, await OpenerAsync(session, rejected.UserId, rejected.ClientOrderId, cancellation));
            case var later when snapshot is not null:
                FoldLater(later, snapshot);
                return snapshot;
            default:
                return snapshot;
        }
    }

    /// <summary>The events after an order's first: each changes the view in place; any other is ignored.</summary>
    private static void FoldLater(object data, OrderView view)
    {
        switch (data)
        {
            case OrderFilled filled:
                Fold(filled, view);
                break;
            case OrderCancelled cancelled:
                Fold(cancelled, view);
                break;
            case OrderExpired expired:
                Fold(expired, view);
                break;
            case OrderAmended amended:
                Fold(amended, view);
                break;
        }
    }

    /// <summary>
    /// The view of an order as its command decided it, from the events that started its stream: the same folds as the
    /// projection, with the client order id the caller sent in clear (the command path answers with this, no read back).
    /// </summary>
    public static OrderView FromDecision(IReadOnlyList<object> events, string clientOrderId) =>
        FromEvents(events, clientOrderId, events.Count);

    /// <summary>
    /// The view of an order as a change (cancel, amend) decided it: the same folds over its whole stream, the events just
    /// appended included, with the version after them and the client order id as the handler opened it with the owner's key.
    /// </summary>
    public static OrderView FromDecision(DecidedOrder decided) =>
        FromEvents(decided.Events, decided.ClientOrderId, checked((int)decided.Version));

    private static OrderView FromEvents(IReadOnlyList<object> events, string? clientOrderId, int version)
    {
        var none = new PersonalDataOpener(new Dictionary<Guid, byte[]?>());
        OrderView? view = null;
        foreach (var data in events)
        {
            switch (data)
            {
                case OrderPlaced placed:
                    view = Start(placed, none);
                    break;
                case OrderRejected rejected:
                    view = Start(rejected, none);
                    break;
                case var later when view is not null:
                    FoldLater(later, view);
                    break;
            }
        }

        if (view is null)
        {
            throw new ArgumentException("The events do not start an order.", nameof(events));
        }

        view.ClientOrderId = clientOrderId;
        view.Version = version;
        return view;
    }

    private Task<PersonalDataOpener> OpenerAsync(IQuerySession session, Guid owner, SealedText clientOrderId, CancellationToken ct) =>
        _protector.OpenerAsync(session, [owner, clientOrderId.Subject], ct);

    public static OrderView Start(OrderPlaced e, PersonalDataOpener personal) => Record(new OrderView
    {
        Id = e.OrderId, UserId = e.UserId, ClientOrderId = personal.Open(e.ClientOrderId, e.UserId), Symbol = e.Symbol,
        Side = e.Side, Type = e.Type, TimeInForce = e.TimeInForce, Quantity = e.Quantity, LimitPrice = e.LimitPrice,
        Status = OrderStatus.Open, PlacedAt = e.PlacedAt,
    }, "placed", e.PlacedAt, $"{e.Side} {e.Quantity} {e.Symbol} {e.Type}{(e.LimitPrice is { } l ? $" @ {l}" : "")} {e.TimeInForce}");

    public static OrderView Start(OrderRejected e, PersonalDataOpener personal) => Record(new OrderView
    {
        Id = e.OrderId, UserId = e.UserId, ClientOrderId = personal.Open(e.ClientOrderId, e.UserId), Symbol = e.Symbol,
        Side = e.Side, Type = e.Type, TimeInForce = e.TimeInForce, Quantity = e.Quantity, LimitPrice = e.LimitPrice,
        Status = OrderStatus.Rejected, RejectionReason = e.Reason, PlacedAt = e.RejectedAt,
    }, "rejected", e.RejectedAt, e.Detail);

    public static void Fold(OrderFilled e, OrderView view)
    {
        view.FilledQuantity = e.FilledQuantity;
        view.FilledNotional += e.Quantity * e.Price;
        view.Fees += e.Fee;
        view.Status = e.RemainingQuantity == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        Record(view, "filled", e.FilledAt, $"{e.Quantity} @ {e.Price} (fee {e.Fee}, quote {e.QuoteId})");
    }

    public static void Fold(OrderCancelled e, OrderView view)
    {
        view.Status = OrderStatus.Cancelled;
        Record(view, "cancelled", e.CancelledAt, $"{e.CancelledQuantity} cancelled: {e.Reason}");
    }

    public static void Fold(OrderExpired e, OrderView view)
    {
        view.Status = OrderStatus.Expired;
        Record(view, "expired", e.ExpiredAt, $"{e.ExpiredQuantity} expired at the session end");
    }

    public static void Fold(OrderAmended e, OrderView view)
    {
        view.Quantity = e.Quantity;
        view.LimitPrice = e.LimitPrice;
        Record(view, "amended", e.AmendedAt, $"quantity {e.Quantity}{(e.LimitPrice is { } l ? $", limit {l}" : "")}");
    }

    private static OrderView Record(OrderView view, string name, DateTimeOffset at, string detail)
    {
        view.UpdatedAt = at;
        view.History.Add(new OrderHistoryEntry(name, view.Status, at, detail));
        return view;
    }
}

/// <summary>
/// Async projection on <see cref="PersonalDataErased"/>: forgets at once the client order ids of the erased user's orders,
/// which <see cref="OrderViewProjection"/> would only show as null on its next rebuild.
/// </summary>
public sealed partial class TradingErasureProjection : EventProjection
{
    public TradingErasureProjection() => IncludeType<PersonalDataErased>();

    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is not PersonalDataErased erased)
        {
            return;
        }

        var orders = await operations.Query<OrderView>().Where(x => x.UserId == erased.UserId && x.ClientOrderId != null)
            .ToListAsync(cancellation);
        foreach (var order in orders)
        {
            order.ClientOrderId = null;
            operations.Store(order);
        }
    }
}
