using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Users;
using EventStore.Projections.Trading;
using GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace EventStore.Api.GraphQL.Trading;

public static class TradingMutations
{
    public static void AddTradingMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CashPayloadType>>("deposit")
            .Argument<NonNullGraphType<AmountInputType>>("input")
            .ResolveAsync(async c =>
            {
                var me = c.User.UserId()!.Value;
                var input = c.GetArgument<AmountInput>("input");
                // The handler answers with the balance it decided: no second read of the account.
                return Payload(await Bus(c).InvokeAsync<CashBalance>(new Deposit(me, input.Amount, input.IdempotencyKey), c.CancellationToken));
            });

        mutation.Field<NonNullGraphType<CashPayloadType>>("withdraw")
            .Description("Never below what open buy orders reserve.")
            .Argument<NonNullGraphType<AmountInputType>>("input")
            .ResolveAsync(async c =>
            {
                var me = c.User.UserId()!.Value;
                var input = c.GetArgument<AmountInput>("input");
                return Payload(await Bus(c).InvokeAsync<CashBalance>(new Withdraw(me, input.Amount, input.IdempotencyKey), c.CancellationToken));
            });

        mutation.Field<NonNullGraphType<OrderPayloadType>>("placeOrder")
            .Description("Places an order after the pre-trade checks. A refused order is recorded with status REJECTED and an ORDER_REJECTED error.")
            .Argument<NonNullGraphType<PlaceOrderInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<PlaceOrderInput>("input");
                var me = c.User.UserId()!.Value;
                var result = await Bus(c).InvokeAsync<PlaceOrderResult>(new PlaceOrder(Guid.CreateVersion7(), me,
                    input.ClientOrderId, input.Symbol.Trim().ToUpperInvariant(), input.Side, input.Type, input.Quantity,
                    input.LimitPrice, input.TimeInForce), c.CancellationToken);
                if (result.Reason is { } reason)
                {
                    c.Errors.Add(new ApiError(ErrorCodes.OrderRejected, result.Detail ?? "The order was rejected.",
                        new Dictionary<string, object?> { ["reason"] = Screaming(reason.ToString()), ["orderId"] = result.OrderId })
                    {
                        Path = c.Path,
                    });
                }

                // Answered from the decision (the order's first events), not read back: see docs/performance.md.
                return new OrderPayload(result.OrderEvents is { } decided
                    ? OrderViewProjection.FromDecision(decided, input.ClientOrderId)
                    : await TradingQueries.OrderAsync(TradingQueryFields.Session(c), result.OrderId, me, false, c.CancellationToken, live: true));
            });

        mutation.Field<NonNullGraphType<OrderPayloadType>>("cancelOrder")
            .Argument<NonNullGraphType<CancelOrderInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CancelOrderInput>("input");
                var me = c.User.UserId()!.Value;
                // Answered from the decision (the order's events with the cancel's), not read back: see docs/performance.md.
                var decided = await Bus(c).InvokeAsync<DecidedOrder>(new CancelOrder(input.OrderId, me, input.ExpectedVersion), c.CancellationToken);
                return new OrderPayload(OrderViewProjection.FromDecision(decided));
            });

        mutation.Field<NonNullGraphType<OrderPayloadType>>("amendOrder")
            .Argument<NonNullGraphType<AmendOrderInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<AmendOrderInput>("input");
                var me = c.User.UserId()!.Value;
                var decided = await Bus(c).InvokeAsync<DecidedOrder>(
                    new AmendOrder(input.OrderId, me, input.Quantity, input.LimitPrice, input.ExpectedVersion), c.CancellationToken);
                return new OrderPayload(OrderViewProjection.FromDecision(decided));
            });

        mutation.Field<NonNullGraphType<InstrumentType>>("listInstrument")
            .Description("Admins: list a new instrument.")
            .Argument<NonNullGraphType<InstrumentInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var i = c.GetArgument<InstrumentInput>("input");
                await Bus(c).InvokeAsync(new ListInstrument(i.Symbol.Trim(), i.Name, i.Currency, i.TickSize, i.LotSize, i.ReferencePrice),
                    c.CancellationToken);
                return await InstrumentAsync(c, i.Symbol.Trim());
            });

        mutation.Field<NonNullGraphType<InstrumentType>>("updateInstrument")
            .Description("Admins: change an instrument's name, tick size or lot size (resting orders keep their terms).")
            .Argument<NonNullGraphType<InstrumentInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var i = c.GetArgument<InstrumentInput>("input");
                await Bus(c).InvokeAsync(new UpdateInstrument(TradingIds.Instrument(i.Symbol), i.Name, i.TickSize, i.LotSize),
                    c.CancellationToken);
                return await InstrumentAsync(c, i.Symbol);
            });

        mutation.Field<NonNullGraphType<InstrumentType>>("haltInstrument")
            .Description("Admins: stop trading an instrument; new orders are rejected, resting orders stop executing.")
            .Argument<NonNullGraphType<StringGraphType>>("symbol", a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .Argument<NonNullGraphType<StringGraphType>>("reason", a => a.SingleLine(InstrumentRules.HaltReasonMaxLength))
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var symbol = c.GetArgument<string>("symbol");
                await Bus(c).InvokeAsync(new HaltInstrument(TradingIds.Instrument(symbol), c.GetArgument<string>("reason")), c.CancellationToken);
                return await InstrumentAsync(c, symbol);
            });

        mutation.Field<NonNullGraphType<InstrumentType>>("resumeInstrument")
            .Description("Admins: resume trading an instrument.")
            .Argument<NonNullGraphType<StringGraphType>>("symbol", a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var symbol = c.GetArgument<string>("symbol");
                await Bus(c).InvokeAsync(new ResumeInstrument(TradingIds.Instrument(symbol)), c.CancellationToken);
                return await InstrumentAsync(c, symbol);
            });
    }

    private static IMessageBus Bus(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMessageBus>();

    private static CashPayload Payload(CashBalance cash) => new(cash.Balance, cash.Reserved, cash.Available);

    private static async Task<InstrumentView> InstrumentAsync(IResolveFieldContext c, string symbol) =>
        await TradingQueries.InstrumentAsync(TradingQueryFields.Session(c), symbol, c.CancellationToken)
        ?? throw new Domain.NotFoundException($"Unknown instrument '{symbol}'.");

    private static string Screaming(string pascal) =>
        string.Concat(pascal.Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : char.ToUpperInvariant(ch).ToString()));
}

public sealed record CashPayload(decimal Balance, decimal ReservedCash, decimal AvailableCash);

public sealed class CashPayloadType : ObjectGraphType<CashPayload>
{
    public CashPayloadType()
    {
        Name = "CashPayload";
        Field(x => x.Balance);
        Field(x => x.ReservedCash);
        Field(x => x.AvailableCash);
    }
}

public sealed record OrderPayload(OrderView Order);

public sealed class OrderPayloadType : ObjectGraphType<OrderPayload>
{
    public OrderPayloadType()
    {
        Name = "OrderPayload";
        Field<NonNullGraphType<OrderGraphType>>("order").Resolve(c => c.Source.Order);
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class TradingMutationRoot : IMutationFields
{
    public int Order => 30;

    public void AddTo(ObjectGraphType root) => root.AddTradingMutations();
}
