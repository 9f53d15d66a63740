using EventStore.Domain.Trading.Orders;
using Marten.Events.Projections;

namespace EventStore.Projections.Trading;

/// <summary>One execution: the blotter (per user) and the trade tape (per symbol) read these.</summary>
public sealed class FillView
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid UserId { get; set; }
    public string Symbol { get; set; } = "";
    public OrderSide Side { get; set; }
    public decimal Quantity { get; set; }
    public decimal Price { get; set; }
    public decimal Fee { get; set; }
    public Guid QuoteId { get; set; }
    public DateTimeOffset QuotedAt { get; set; }
    public decimal QuoteBid { get; set; }
    public decimal QuoteAsk { get; set; }
    public DateTimeOffset FilledAt { get; set; }
}

public sealed partial class FillViewProjection : EventProjection
{
    public static FillView Create(OrderFilled e) => new()
    {
        Id = e.FillId, OrderId = e.OrderId, UserId = e.UserId, Symbol = e.Symbol, Side = e.Side, Quantity = e.Quantity,
        Price = e.Price, Fee = e.Fee, QuoteId = e.QuoteId, QuotedAt = e.QuotedAt, QuoteBid = e.QuoteBid, QuoteAsk = e.QuoteAsk,
        FilledAt = e.FilledAt,
    };
}
