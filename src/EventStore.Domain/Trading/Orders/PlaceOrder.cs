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

        // Load. Every read the decision needs, in one round trip: the instrument, its latest quote, the account and
        // position (version and snapshot row each) and the key that seals the client order id. Instrument, quote and
        // position are keyed by the symbol in upper case, as the catalog stores it. The account first: its snapshot is
        // kept by the daemon, and Marten reads it (with the events after it) only as the first thing in a batch.
        var symbol = command.Symbol.ToUpperInvariant();
        var batch = session.CreateBatchQuery();
        var accountRead = batch.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(command.UserId));
        var instrumentRead = batch.Events.FetchLatest<Instrument>(TradingIds.Instrument(symbol));
        var quoteRead = batch.Load<QuoteSnapshot>(symbol);
        var positionRead = batch.Events.FetchForWriting<Position>(TradingIds.PositionOf(command.UserId, symbol));
        var keyRead = batch.Load<PersonalDataKey>(command.UserId);
        await batch.Execute(ct);
        var instrument = await instrumentRead;
        var account = await accountRead;
        var position = await positionRead;

        // Decide. The client order id is the client's own text: sealed in the events, a keyed hash in the claim (docs/compliance.md).
        var personal = protector.SealerFor(session, command.UserId, await keyRead, now);
        var decision = Decide(command, instrument, await quoteRead, account.Aggregate, position.Aggregate, options.Value,
            personal.Seal(command.ClientOrderId), Guid.CreateVersion7(), now);

        // Append. A rejected order is recorded on its own stream and claims nothing, so the id can be used again.
        if (decision.Accepted)
        {
            await ClientOrderIdClaim.ClaimAsync(session, command.UserId, command.ClientOrderId,
                personal.Lookup(ClientOrderIdClaim.LookupPurpose, command.ClientOrderId), command.OrderId, ct);
        }

        session.Events.StartStream<Order>(command.OrderId, decision.Events.Order.ToArray());
        var messages = new OutgoingMessages();
        if (decision.Accepted)
        {
            account.AppendMany(decision.Events.Account);
            position.AppendMany(decision.Events.Position);
        }

        if (decision.ExpireAt is { } expiry)
        {
            messages.Schedule(new ExpireOrder(command.OrderId), expiry);
        }

        return (new PlaceOrderResult(command.OrderId, decision.Status, decision.Reason, decision.Detail, decision.Events.Order), messages);
    }

    /// <summary>
    /// The pre-trade checks (<see cref="PreTradeRisk"/>), then either the rejection, or the order placed with its
    /// reservation and its immediate execution against <paramref name="quote"/> (<see cref="Execution"/>). Pure: the
    /// state, the sealed client order id, the fill id and the time are inputs.
    /// </summary>
    public static PlaceOrderDecision Decide(PlaceOrder command, Instrument? instrument, QuoteSnapshot? quote, CashAccount? account,
        Position? position, TradingOptions options, SealedText clientOrderId, Guid fillId, DateTimeOffset now)
    {
        if (instrument is null || instrument.Id == Guid.Empty)
        {
            throw new NotFoundException($"Unknown instrument '{command.Symbol}'.");
        }

        var events = TradeEvents.Empty();
        var verdict = PreTradeRisk.Check(command, instrument, quote, account, position, options, now);
        if (!verdict.Accepted)
        {
            events.Order.Add(new OrderRejected(command.OrderId, command.UserId, clientOrderId, instrument.Symbol, command.Side,
                command.Type, command.Quantity, command.LimitPrice, command.TimeInForce, verdict.Reason!.Value, verdict.Detail, now));
            return new PlaceOrderDecision(events, OrderStatus.Rejected, verdict.Reason, verdict.Detail, null);
        }

        var expiresAt = command.TimeInForce == TimeInForce.Day ? options.SessionEndAfter(now) : (DateTimeOffset?)null;
        var placed = new OrderPlaced(command.OrderId, command.UserId, clientOrderId, instrument.Id, instrument.Symbol,
            command.Side, command.Type, command.Quantity, command.LimitPrice, command.TimeInForce, verdict.ReservedCash,
            verdict.ReservedShares, expiresAt, now);
        events.Order.Add(placed);
        var order = new Order();
        order.Apply(placed);

        // The reservation is tried on copies, which the execution then sees: the fetched snapshots stay as loaded.
        var cash = account?.Copy() ?? new CashAccount { Id = TradingIds.AccountOf(command.UserId), UserId = command.UserId };
        var holding = position?.Copy();
        if (verdict.ReservedCash > 0)
        {
            var reserved = new CashReserved(cash.Id, order.Id, verdict.ReservedCash, now);
            cash.Apply(reserved);
            events.Account.Add(reserved);
        }

        if (verdict.ReservedShares > 0)
        {
            var reserved = new SharesReserved(holding!.Id, order.Id, verdict.ReservedShares, now);
            holding.Apply(reserved);
            events.Position.Add(reserved);
        }

        // No quote yet: nothing can execute, and an IOC order is cancelled at once like any unfillable IOC.
        var execution = Execution.Execute(order, quote ?? new QuoteSnapshot { Id = instrument.Symbol, Stale = true }, cash,
            holding, instrument.LotSize, options, fillId, now);
        events.Order.AddRange(execution.Order);
        events.Account.AddRange(execution.Account);
        events.Position.AddRange(execution.Position);

        var status = execution.Order.Aggregate(order, (o, e) => { TradingApply.To(o, e); return o; }).Status;
        var expireAt = expiresAt is { } expiry && status is OrderStatus.Open or OrderStatus.PartiallyFilled ? expiry : (DateTimeOffset?)null;
        return new PlaceOrderDecision(events, status, null, null, expireAt);
    }
}

/// <summary>
/// What placing decided: the events by stream (the order's first one is OrderPlaced or OrderRejected), the status they
/// leave the order in, the rejection's reason and detail, and when a DAY order that is still open expires.
/// </summary>
public sealed record PlaceOrderDecision(TradeEvents Events, OrderStatus Status, RejectionReason? Reason, string? Detail,
    DateTimeOffset? ExpireAt)
{
    public bool Accepted => Reason is null;
}
