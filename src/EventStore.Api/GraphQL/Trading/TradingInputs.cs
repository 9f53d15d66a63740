using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Trading;

public sealed class AmountInput
{
    public decimal Amount { get; set; }
    public string? IdempotencyKey { get; set; }
}

public sealed class AmountInputType : InputObjectGraphType<AmountInput>
{
    public AmountInputType()
    {
        Name = "AmountInput";
        Field(x => x.Amount).Description("Decimal amount in the account currency, at most 2 decimals.");
        Field(x => x.IdempotencyKey, nullable: true).SingleLine(FundingRequestClaim.MaxKeyLength).Description(
            "Optional, your own key (1 to 64 letters, digits, '_', '.', ':' or '-'): send the same request again under it after a lost answer, and it is applied once. The same key with another amount is a CONFLICT.");
    }
}

public sealed class PlaceOrderInput
{
    public string ClientOrderId { get; set; } = "";
    public string Symbol { get; set; } = "";
    public OrderSide Side { get; set; }
    public OrderType Type { get; set; }
    public decimal Quantity { get; set; }
    public decimal? LimitPrice { get; set; }
    public TimeInForce TimeInForce { get; set; } = TimeInForce.Day;
}

public sealed class PlaceOrderInputType : InputObjectGraphType<PlaceOrderInput>
{
    public PlaceOrderInputType()
    {
        Name = "PlaceOrderInput";
        Field(x => x.ClientOrderId).SingleLine(PlaceOrder.ClientOrderIdMaxLength).Description("Your id for this order: unique per user, for ever.");
        Field(x => x.Symbol).SingleLine(InstrumentRules.SymbolMaxLength);
        Field<NonNullGraphType<OrderSideType>>("side");
        Field<NonNullGraphType<OrderTypeType>>("type");
        Field(x => x.Quantity);
        Field(x => x.LimitPrice, nullable: true).Description("Required for LIMIT, absent for MARKET.");
        Field<TimeInForceType>("timeInForce").DefaultValue(TimeInForce.Day);
    }
}

public sealed class CancelOrderInput
{
    public Guid OrderId { get; set; }
    public int? ExpectedVersion { get; set; }
}

public sealed class CancelOrderInputType : InputObjectGraphType<CancelOrderInput>
{
    public CancelOrderInputType()
    {
        Name = "CancelOrderInput";
        Field<NonNullGraphType<IdGraphType>>("orderId");
        Field(x => x.ExpectedVersion, nullable: true).Description("The order's version you saw: CONFLICT if it changed since.");
    }
}

public sealed class AmendOrderInput
{
    public Guid OrderId { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? LimitPrice { get; set; }
    public int? ExpectedVersion { get; set; }
}

public sealed class AmendOrderInputType : InputObjectGraphType<AmendOrderInput>
{
    public AmendOrderInputType()
    {
        Name = "AmendOrderInput";
        Field<NonNullGraphType<IdGraphType>>("orderId");
        Field(x => x.Quantity, nullable: true).Description("New total quantity: only lower, and above what is filled.");
        Field(x => x.LimitPrice, nullable: true);
        Field(x => x.ExpectedVersion, nullable: true);
    }
}

public sealed class InstrumentInput
{
    public string Symbol { get; set; } = "";
    public string Name { get; set; } = "";
    public string Currency { get; set; } = "USD";
    public decimal TickSize { get; set; }
    public decimal LotSize { get; set; }
    public decimal ReferencePrice { get; set; }
}

public sealed class InstrumentInputType : InputObjectGraphType<InstrumentInput>
{
    public InstrumentInputType()
    {
        Name = "InstrumentInput";
        Field(x => x.Symbol).SingleLine(InstrumentRules.SymbolMaxLength);
        Field(x => x.Name).SingleLine(InstrumentRules.NameMaxLength);
        Field(x => x.Currency).SingleLine(InstrumentRules.CurrencyLength).DefaultValue("USD");
        Field(x => x.TickSize);
        Field(x => x.LotSize);
        Field(x => x.ReferencePrice);
    }
}
