using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain.Trading.Orders;
using EventStore.Projections.Trading;
using EventStore.Api.GraphQL.Loading;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL.Trading;

public sealed class InstrumentType : ObjectGraphType<InstrumentView>
{
    public InstrumentType()
    {
        Name = "Instrument";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(x => x.Symbol);
        Field(x => x.Name);
        Field(x => x.Currency);
        Field(x => x.TickSize);
        Field(x => x.LotSize);
        Field(x => x.Tradable);
        Field(x => x.HaltReason, nullable: true);
        Field<QuoteType>("quote").Resolve(c => c.Batch<string, QuoteSnapshot>("trading.quote", c.Source.Symbol.ToUpperInvariant(), s => (symbols, ct) =>
            TradingQueries.QuotesAsync(s.GetRequiredService<IQuerySession>(), symbols, ct)));
    }
}

public sealed class QuoteType : ObjectGraphType<QuoteSnapshot>
{
    public QuoteType()
    {
        Name = "Quote";
        Field<NonNullGraphType<StringGraphType>>("symbol").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("quoteId").Resolve(c => c.Source.QuoteId);
        Field(x => x.Bid);
        Field(x => x.Ask);
        Field(x => x.BidSize);
        Field(x => x.AskSize);
        Field(x => x.QuotedAt);
        Field(x => x.Source);
        Field(x => x.Stale).Description("True when the provider is unavailable: market orders are refused.");
    }
}

public sealed class OrderGraphType : ObjectGraphType<OrderView>
{
    public OrderGraphType()
    {
        Name = "Order";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(x => x.ClientOrderId, nullable: true).Description("Your id for the order; null once your personal data is erased.")
            .Personal(PersonalKind.Text, x => x.UserId);
        Field(x => x.Symbol);
        Field<NonNullGraphType<OrderSideType>>("side").Resolve(c => c.Source.Side);
        Field<NonNullGraphType<OrderTypeType>>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<TimeInForceType>>("timeInForce").Resolve(c => c.Source.TimeInForce);
        Field(x => x.Quantity);
        Field(x => x.LimitPrice, nullable: true);
        Field(x => x.FilledQuantity);
        Field(x => x.AverageFillPrice, nullable: true);
        Field(x => x.Fees);
        Field<NonNullGraphType<OrderStatusType>>("status").Resolve(c => c.Source.Status);
        Field<RejectionReasonType>("rejectionReason").Resolve(c => c.Source.RejectionReason);
        Field(x => x.PlacedAt);
        Field(x => x.UpdatedAt);
        Field<NonNullGraphType<IntGraphType>>("version").Description("Pass as expectedVersion to cancel or amend.")
            .Resolve(c => c.Source.Version);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrderHistoryEntryType>>>>("history")
            .Resolve(c => c.Source.History);
    }
}

public sealed class OrderHistoryEntryType : ObjectGraphType<OrderHistoryEntry>
{
    public OrderHistoryEntryType()
    {
        Name = "OrderHistoryEntry";
        Field(x => x.Event);
        Field<NonNullGraphType<OrderStatusType>>("status").Resolve(c => c.Source.Status);
        Field(x => x.At);
        Field(x => x.Detail);
    }
}

public sealed class FillType : ObjectGraphType<FillView>
{
    public FillType()
    {
        Name = "Fill";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("orderId").Resolve(c => c.Source.OrderId);
        Field(x => x.Symbol);
        Field<NonNullGraphType<OrderSideType>>("side").Resolve(c => c.Source.Side);
        Field(x => x.Quantity);
        Field(x => x.Price);
        Field(x => x.Fee);
        Field<NonNullGraphType<IdGraphType>>("quoteId").Description("The quote this fill executed against.").Resolve(c => c.Source.QuoteId);
        Field(x => x.QuotedAt);
        Field(x => x.QuoteBid);
        Field(x => x.QuoteAsk);
        Field(x => x.FilledAt);
    }
}

/// <summary>A trade on the public tape: what, when and at what price, never who.</summary>
public sealed class TradeType : ObjectGraphType<FillView>
{
    public TradeType()
    {
        Name = "Trade";
        Field(x => x.Symbol);
        Field<NonNullGraphType<OrderSideType>>("side").Description("The side of the trader who executed.").Resolve(c => c.Source.Side);
        Field(x => x.Quantity);
        Field(x => x.Price);
        Field(x => x.FilledAt);
    }
}
