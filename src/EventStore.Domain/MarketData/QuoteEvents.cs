namespace EventStore.Domain.MarketData;

// Quote events live on one stream per instrument (stream id = TradingIds.QuotesOf(symbol), separate from the
// instrument's own small stream). Every fill references the QuoteReceived it executed against (QuoteId, QuotedAt)
// for best-execution audit.

public sealed record QuoteReceived(
    Guid QuoteId, Guid InstrumentId, string Symbol, decimal Bid, decimal Ask, decimal BidSize, decimal AskSize,
    DateTimeOffset QuotedAt, string Source);

/// <summary>The provider failed (circuit open, retries exhausted): no market order executes until a fresh quote.</summary>
public sealed record QuotesWentStale(Guid InstrumentId, string Symbol, string Reason, DateTimeOffset At);
