using EventStore.Domain.Privacy;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Positions;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventStore.Domain.Trading.Orders;

public sealed record PlaceOrder(
    Guid OrderId,
    Guid UserId,
    [SingleLine(PlaceOrder.ClientOrderIdMaxLength)] string ClientOrderId,
    [SingleLine(InstrumentRules.SymbolMaxLength)] string Symbol,
    OrderSide Side,
    OrderType Type,
    decimal Quantity,
    decimal? LimitPrice,
    TimeInForce TimeInForce)
{
    public const int ClientOrderIdMaxLength = 64;

    public sealed class Validator : AbstractValidator<PlaceOrder>
    {
        public Validator()
        {
            RuleFor(x => x.OrderId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.ClientOrderId).Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(ClientOrderIdMaxLength)
                .Matches("^[A-Za-z0-9_.:-]+$").WithMessage("'Client Order Id' may contain letters, digits, '_', '.', ':' and '-'.");
            RuleFor(x => x.Symbol).NotEmpty().MaximumLength(InstrumentRules.SymbolMaxLength);
            RuleFor(x => x.Quantity).GreaterThan(0);
            RuleFor(x => x.LimitPrice).NotNull().GreaterThan(0).When(x => x.Type == OrderType.Limit)
                .WithMessage("A limit order needs a positive 'Limit Price'.");
            RuleFor(x => x.LimitPrice).Null().When(x => x.Type == OrderType.Market)
                .WithMessage("A market order takes no 'Limit Price'.");
        }
    }
}

/// <summary>What placing decided. A rejected order is recorded (OrderRejected) and reported with its reason.</summary>
public sealed record PlaceOrderResult(Guid OrderId, OrderStatus Status, RejectionReason? Reason, string? Detail);

public static class PlaceOrderHandler
{
    /// <summary>
    /// One transaction: the order's stream, its reservation on the account or position stream, the client order id
    /// claim, and the immediate execution against the latest quote. DAY orders get their expiry scheduled.
    /// </summary>
    public static async Task<(PlaceOrderResult, OutgoingMessages)> Handle(PlaceOrder command, IDocumentSession session,
        PersonalDataProtector protector, IOptions<TradingOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var messages = new OutgoingMessages();
        var instrument = await session.Events.FetchLatest<Instrument>(TradingIds.Instrument(command.Symbol), ct);
        if (instrument is null || instrument.Id == Guid.Empty)
        {
            throw new NotFoundException($"Unknown instrument '{command.Symbol}'.");
        }

        var quote = await session.LoadAsync<QuoteSnapshot>(instrument.Symbol, ct);
        var account = await session.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(command.UserId), ct);
        var position = await session.Events.FetchForWriting<Position>(TradingIds.PositionOf(command.UserId, instrument.Symbol), ct);

        // The client order id is the client's own text: sealed in the events, a keyed hash in the claim (docs/compliance.md).
        var personal = await protector.SealerAsync(session, command.UserId, now, ct);
        var verdict = PreTradeRisk.Check(command, instrument, quote, account.Aggregate, position.Aggregate, settings, now);
        if (!verdict.Accepted)
        {
            session.Events.StartStream<Order>(command.OrderId, new OrderRejected(command.OrderId, command.UserId,
                personal.Seal(command.ClientOrderId), instrument.Symbol, command.Side, command.Type, command.Quantity,
                command.LimitPrice, command.TimeInForce, verdict.Reason!.Value, verdict.Detail, now));
            return (new PlaceOrderResult(command.OrderId, OrderStatus.Rejected, verdict.Reason, verdict.Detail), messages);
        }

        await ClientOrderIdClaim.ClaimAsync(session, command.UserId, command.ClientOrderId,
            personal.Lookup(ClientOrderIdClaim.LookupPurpose, command.ClientOrderId), command.OrderId, ct);
        var expiresAt = command.TimeInForce == TimeInForce.Day ? settings.SessionEndAfter(now) : (DateTimeOffset?)null;
        var placed = new OrderPlaced(command.OrderId, command.UserId, personal.Seal(command.ClientOrderId), instrument.Id, instrument.Symbol,
            command.Side, command.Type, command.Quantity, command.LimitPrice, command.TimeInForce, verdict.ReservedCash,
            verdict.ReservedShares, expiresAt, now);
        var order = new Order();
        order.Apply(placed);

        var cash = account.Aggregate?.Copy() ?? new CashAccount { Id = TradingIds.AccountOf(command.UserId), UserId = command.UserId };
        var holding = position.Aggregate?.Copy();
        var reservation = TradeEvents.Empty();
        if (verdict.ReservedCash > 0)
        {
            var reserved = new CashReserved(cash.Id, order.Id, verdict.ReservedCash, now);
            cash.Apply(reserved);
            reservation.Account.Add(reserved);
        }

        if (verdict.ReservedShares > 0)
        {
            var reserved = new SharesReserved(holding!.Id, order.Id, verdict.ReservedShares, now);
            holding.Apply(reserved);
            reservation.Position.Add(reserved);
        }

        // No quote yet: nothing can execute, and an IOC order is cancelled at once like any unfillable IOC.
        var execution = Execution.Execute(order, quote ?? new QuoteSnapshot { Id = instrument.Symbol, Stale = true }, cash,
            holding, instrument.LotSize, settings, Guid.CreateVersion7(), now);

        session.Events.StartStream<Order>(order.Id, [placed, .. execution.Order]);
        account.AppendMany([.. reservation.Account, .. execution.Account]);
        position.AppendMany([.. reservation.Position, .. execution.Position]);

        var status = execution.Order.Aggregate(order, (o, e) => { TradingApply.To(o, e); return o; }).Status;
        if (expiresAt is { } expiry && status is OrderStatus.Open or OrderStatus.PartiallyFilled)
        {
            messages.Schedule(new ExpireOrder(order.Id), expiry);
        }

        return (new PlaceOrderResult(order.Id, status, null, null), messages);
    }
}
