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
/// <paramref name="OrderEvents"/>: the events the decision started the order's stream with, so the caller can answer with the
/// order as decided instead of reading it back (null where the handler did not start the stream).
public sealed record PlaceOrderResult(Guid OrderId, OrderStatus Status, RejectionReason? Reason, string? Detail,
    IReadOnlyList<object>? OrderEvents = null);

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

        // Every read the decision needs, in one round trip: the instrument, its latest quote, the account and position
        // (version and snapshot row each) and the key that seals the client order id. Instrument, quote and position are
        // keyed by the symbol in upper case, as the catalog stores it.
        var symbol = command.Symbol.ToUpperInvariant();
        var batch = session.CreateBatchQuery();
        var instrumentRead = batch.Events.FetchLatest<Instrument>(TradingIds.Instrument(symbol));
        var quoteRead = batch.Load<QuoteSnapshot>(symbol);
        var accountRead = batch.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(command.UserId));
        var positionRead = batch.Events.FetchForWriting<Position>(TradingIds.PositionOf(command.UserId, symbol));
        var keyRead = batch.Load<PersonalDataKey>(command.UserId);
        await batch.Execute(ct);

        var instrument = await instrumentRead;
        if (instrument is null || instrument.Id == Guid.Empty)
        {
            throw new NotFoundException($"Unknown instrument '{command.Symbol}'.");
        }

        var quote = await quoteRead;
        var account = await accountRead;
        var position = await positionRead;

        // The client order id is the client's own text: sealed in the events, a keyed hash in the claim (docs/compliance.md).
        var personal = protector.SealerFor(session, command.UserId, await keyRead, now);
        var verdict = PreTradeRisk.Check(command, instrument, quote, account.Aggregate, position.Aggregate, settings, now);
        if (!verdict.Accepted)
        {
            var rejected = new OrderRejected(command.OrderId, command.UserId,
                personal.Seal(command.ClientOrderId), instrument.Symbol, command.Side, command.Type, command.Quantity,
                command.LimitPrice, command.TimeInForce, verdict.Reason!.Value, verdict.Detail, now);
            session.Events.StartStream<Order>(command.OrderId, rejected);
            return (new PlaceOrderResult(command.OrderId, OrderStatus.Rejected, verdict.Reason, verdict.Detail, [rejected]), messages);
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

        object[] orderEvents = [placed, .. execution.Order];
        session.Events.StartStream<Order>(order.Id, orderEvents);
        account.AppendMany([.. reservation.Account, .. execution.Account]);
        position.AppendMany([.. reservation.Position, .. execution.Position]);

        var status = execution.Order.Aggregate(order, (o, e) => { TradingApply.To(o, e); return o; }).Status;
        if (expiresAt is { } expiry && status is OrderStatus.Open or OrderStatus.PartiallyFilled)
        {
            messages.Schedule(new ExpireOrder(order.Id), expiry);
        }

        return (new PlaceOrderResult(order.Id, status, null, null, orderEvents), messages);
    }
}
