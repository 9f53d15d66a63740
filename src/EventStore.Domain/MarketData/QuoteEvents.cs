namespace EventStore.Domain.MarketData;

// Quote events live on one stream per instrument (stream id = the instrument id). Every fill references the
// QuoteReceived it executed against (event id, sequence and QuotedAt) for best-execution audit.

public sealed record QuoteReceived(
    Guid InstrumentId, string Symbol, decimal Bid, decimal Ask, decimal BidSize, decimal AskSize,
    DateTimeOffset QuotedAt, string Source);

/// <summary>The provider failed (circuit open, retries exhausted): no market order executes until a fresh quote.</summary>
public sealed record QuotesWentStale(Guid InstrumentId, string Symbol, string Reason, DateTimeOffset At);
