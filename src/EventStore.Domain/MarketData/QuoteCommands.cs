using EventStore.Domain.Auditing;
using EventStore.Domain.Validation;

namespace EventStore.Domain.MarketData;

/// <summary>Sent by the market-data pump for every quote it keeps (handled by the Trading module: record, then match).</summary>
[Actor(SystemActors.MarketData)]
public sealed record RecordQuote(Quote Quote);

/// <summary>Sent by the pump once when a symbol's provider becomes unavailable.</summary>
[Actor(SystemActors.MarketData)]
public sealed record MarkQuotesStale(
    [SingleLine(Quote.SymbolMaxLength)] string Symbol,
    [SingleLine(MarkQuotesStale.ReasonMaxLength)] string Reason,
    DateTimeOffset At)
{
    /// <summary>The provider's error, scrubbed to this by the pump (TextHygiene.Scrub): it comes from outside.</summary>
    public const int ReasonMaxLength = 500;
}
