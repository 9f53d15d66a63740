namespace EventStore.Domain.MarketData;

/// <summary>A top-of-book quote as a provider delivers it. Prices and sizes are decimals, never floating point.</summary>
public sealed record Quote(
    string Symbol, decimal Bid, decimal Ask, decimal BidSize, decimal AskSize, DateTimeOffset QuotedAt, string Source)
{
    /// <summary>The longest symbol a quote names; Trading lists instruments within it (InstrumentRules.SymbolMaxLength).</summary>
    public const int SymbolMaxLength = 16;
}

/// <summary>Where quotes come from: the deterministic simulated feed (default) or a vendor's HTTP API.</summary>
public interface IMarketDataProvider
{
    string Name { get; }

    /// <summary>The current quote of <paramref name="symbol"/>; throws <see cref="MarketDataUnavailableException"/>.</summary>
    Task<Quote> GetQuoteAsync(string symbol, CancellationToken ct);
}

/// <summary>The provider cannot give a quote now (after retries, or its circuit is open): quotes become stale.</summary>
public sealed class MarketDataUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The symbols the pump asks quotes for: the tradable instruments (implemented by the Trading module).</summary>
public interface IQuotedSymbols
{
    Task<IReadOnlyList<QuotedSymbol>> GetAsync(CancellationToken ct);
}

/// <summary>A symbol with what a simulated feed needs to start a believable walk.</summary>
public sealed record QuotedSymbol(string Symbol, decimal ReferencePrice, decimal TickSize, decimal LotSize);
