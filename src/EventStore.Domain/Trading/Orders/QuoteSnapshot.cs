using EventStore.Domain.MarketData;
using EventStore.Domain.Validation;

namespace EventStore.Domain.Trading.Orders;

/// <summary>
/// The latest quote of a symbol, kept as a document by the quote handler (read at once by order placement) and carried
/// in MatchOrder messages, so that a fill records exactly the quote it executed against.
/// </summary>
public sealed class QuoteSnapshot
{
    /// <summary>The symbol (document id).</summary>
    public string Id { get; set; } = "";
    public Guid QuoteId { get; set; }
    public decimal Bid { get; set; }
    public decimal Ask { get; set; }
    public decimal BidSize { get; set; }
    public decimal AskSize { get; set; }
    public DateTimeOffset QuotedAt { get; set; }
    public string Source { get; set; } = "";
    public bool Stale { get; set; }
    [SingleLine(MarkQuotesStale.ReasonMaxLength)]
    public string? StaleReason { get; set; }

    public bool IsUsable(DateTimeOffset now, TimeSpan maxAge) => !Stale && now - QuotedAt <= maxAge;

    public static QuoteSnapshot From(QuoteReceived e) => new()
    {
        Id = e.Symbol,
        QuoteId = e.QuoteId,
        Bid = e.Bid,
        Ask = e.Ask,
        BidSize = e.BidSize,
        AskSize = e.AskSize,
        QuotedAt = e.QuotedAt,
        Source = e.Source,
    };
}
