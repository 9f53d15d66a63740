using EventStore.Domain.Auditing;

namespace EventStore.Domain.MarketData;

/// <summary>Sent by the market-data pump for every quote it keeps (handled by the Trading module: record, then match).</summary>
[Actor(SystemActors.MarketData)]
public sealed record RecordQuote(Quote Quote);

/// <summary>Sent by the pump once when a symbol's provider becomes unavailable.</summary>
[Actor(SystemActors.MarketData)]
public sealed record MarkQuotesStale(string Symbol, string Reason, DateTimeOffset At);
