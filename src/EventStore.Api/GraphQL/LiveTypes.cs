using EventStore.Api.LiveFeed;
using System.Text.Json;
using EventStore.Api.GraphQL.Audit;
using EventStore.Api.GraphQL.Trading;
using EventStore.Domain.MarketData;
using EventStore.Projections.Trading;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL;

public sealed record QuoteUpdate(long Sequence, string Symbol, decimal Bid, decimal Ask, decimal BidSize, decimal AskSize, DateTimeOffset QuotedAt)
{
    private static readonly JsonSerializerOptions Stored = new() { PropertyNameCaseInsensitive = true };

    public static QuoteUpdate From(StoredEvent e)
    {
        var q = JsonSerializer.Deserialize<QuoteReceived>(e.Data, Stored)!;
        return new QuoteUpdate(e.Sequence, q.Symbol, q.Bid, q.Ask, q.BidSize, q.AskSize, q.QuotedAt);
    }
}

public sealed class QuoteUpdateType : ObjectGraphType<QuoteUpdate>
{
    public QuoteUpdateType()
    {
        Name = "QuoteUpdate";
        Field<NonNullGraphType<StringGraphType>>("sequence").Description("Cursor: pass as `after` to resume.")
            .Resolve(c => c.Source.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.Symbol);
        Field(x => x.Bid);
        Field(x => x.Ask);
        Field(x => x.BidSize);
        Field(x => x.AskSize);
        Field(x => x.QuotedAt);
    }
}

public sealed record OrderUpdate(long Sequence, string Event, OrderView Order)
{
    /// <summary>The order as of this event (live aggregation of its stream up to the event's version).</summary>
    public static async Task<OrderUpdate> LoadAsync(IQuerySession session, StoredEvent e, CancellationToken ct) =>
        new(e.Sequence, e.Type, await TradingQueries.OrderAsOfAsync(session, e.StreamId, e.Version, ct));
}

public sealed class OrderUpdateType : ObjectGraphType<OrderUpdate>
{
    public OrderUpdateType()
    {
        Name = "OrderUpdate";
        Field<NonNullGraphType<StringGraphType>>("sequence").Description("Cursor: pass as `after` to resume.")
            .Resolve(c => c.Source.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.Event).Description("The stored event type, e.g. order_filled.");
        Field<NonNullGraphType<OrderGraphType>>("order").Resolve(c => c.Source.Order);
    }
}

/// <summary>The portfolio as the read models show it right after the event (they may trail it by the projection lag).</summary>
public sealed record PortfolioUpdate(long Sequence, string Event, Portfolio Portfolio);

public sealed class PortfolioUpdateType : ObjectGraphType<PortfolioUpdate>
{
    public PortfolioUpdateType()
    {
        Name = "PortfolioUpdate";
        Field<NonNullGraphType<StringGraphType>>("sequence").Description("Cursor: pass as `after` to resume.")
            .Resolve(c => c.Source.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.Event).Description("The stored event type, e.g. cash_deposited.");
        Field<NonNullGraphType<PortfolioType>>("portfolio").Resolve(c => c.Source.Portfolio);
    }
}
