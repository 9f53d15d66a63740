using EventStore.Domain.Auditing;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using FluentValidation;
using Marten;
using JasperFx.Events;

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

/// <summary>Reduce the quantity and/or change the limit price of an open limit order.</summary>
public sealed record AmendOrder(Guid OrderId, Guid UserId, decimal? Quantity, decimal? LimitPrice, long? ExpectedVersion)
{
    public sealed class Validator : AbstractValidator<AmendOrder>
    {
        public Validator()
        {
            RuleFor(x => x.OrderId).NotEmpty();
            RuleFor(x => x).Must(x => x.Quantity is not null || x.LimitPrice is not null)
                .WithName("Quantity").WithMessage("Give a new 'Quantity' or a new 'Limit Price'.");
            RuleFor(x => x.Quantity).GreaterThan(0).When(x => x.Quantity is not null);
            RuleFor(x => x.LimitPrice).GreaterThan(0).When(x => x.LimitPrice is not null);
            RuleFor(x => x.ExpectedVersion).GreaterThan(0).When(x => x.ExpectedVersion is not null);
        }
    }
}

/// <summary>Scheduled at placement for DAY orders: the session ended.</summary>
[Actor(SystemActors.Broker)]
public sealed record ExpireOrder(Guid OrderId);

public static class ManageOrdersHandler
{
    public static async Task<PlaceOrderResult> Handle(CancelOrder command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var book = await OrderBook.LoadAsync(session, command.OrderId, command.UserId, command.ExpectedVersion, ct);
        var events = TradeEvents.Empty();
        events.Order.Add(new OrderCancelled(book.Order.Id, book.Order.Remaining, "requested", command.UserId, clock.GetUtcNow()));
        Execution.Release(events, book.Order, book.Account.Aggregate, book.Position.Aggregate, clock.GetUtcNow());
        book.Append(events);
        return new PlaceOrderResult(book.Order.Id, OrderStatus.Cancelled, null, null);
    }

    public static async Task<PlaceOrderResult> Handle(AmendOrder command, IDocumentSession session,
        Microsoft.Extensions.Options.IOptions<TradingOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var book = await OrderBook.LoadAsync(session, command.OrderId, command.UserId, command.ExpectedVersion, ct);
        var instrument = await session.Events.FetchLatest<Instruments.Instrument>(TradingIds.Instrument(book.Order.Symbol), ct);
        var events = Amending.Decide(book.Order, command, book.Account.Aggregate, book.Position.Aggregate,
            instrument!, options.Value, clock.GetUtcNow());
        book.Append(events);
        return new PlaceOrderResult(book.Order.Id, book.Order.Status, null, null);
    }

    public static async Task Handle(ExpireOrder command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var order = await session.Events.FetchForWriting<Order>(command.OrderId, ct);
        if (order.Aggregate is not { IsOpen: true } open)
        {
            return; // filled or cancelled before the session ended
        }

        var account = await session.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(open.UserId), ct);
        var position = await session.Events.FetchForWriting<Position>(TradingIds.PositionOf(open.UserId, open.Symbol), ct);
        var events = TradeEvents.Empty();
        events.Order.Add(new OrderExpired(open.Id, open.Remaining, clock.GetUtcNow()));
        Execution.Release(events, open, account.Aggregate, position.Aggregate, clock.GetUtcNow());
        new OrderBook(open, order, account, position).Append(events);
    }
}

/// <summary>An order loaded for writing with the account and position streams its reservations live on.</summary>
public sealed record OrderBook(Order Order, IEventStream<Order> OrderStream, IEventStream<CashAccount> Account, IEventStream<Position> Position)
{
    /// <summary>Loads the caller's open order; another user's order is reported as not found, not as forbidden.</summary>
    public static async Task<OrderBook> LoadAsync(IDocumentSession session, Guid orderId, Guid userId, long? expectedVersion, CancellationToken ct)
    {
        // Fetched without the expected version so that ownership is checked first (someone else's order is NOT_FOUND,
        // whatever version was sent); the version read here is still asserted when the transaction commits.
        var stream = await session.Events.FetchForWriting<Order>(orderId, ct);
        var order = stream.Aggregate;
        if (order is null || order.Id == Guid.Empty || order.UserId != userId)
        {
            throw new NotFoundException("Order not found.");
        }

        if (expectedVersion is { } version && stream.CurrentVersion != version)
        {
            throw new ConflictException($"The order is at version {stream.CurrentVersion}, not {version}: reload it and retry.");
        }

        if (!order.IsOpen)
        {
            throw new ConflictException($"The order is {order.Status.ToString().ToLowerInvariant()} and can no longer change.");
        }

        var account = await session.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(userId), ct);
        var position = await session.Events.FetchForWriting<Position>(TradingIds.PositionOf(userId, order.Symbol), ct);
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
