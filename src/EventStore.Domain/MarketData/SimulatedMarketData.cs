namespace EventStore.Domain.MarketData;

/// <summary>
/// The offline feed (provider name <c>simulated</c>): a seeded random walk per symbol, starting at the symbol's
/// reference price, on its tick, with 1 to 3 ticks of spread and 1 to 20 lots on each side. Time and randomness are
/// inputs: quotes are stamped with <paramref name="time"/>, and each symbol's walk depends only on the seed, the
/// symbol and how many quotes of that symbol were asked before.
/// </summary>
public sealed class SimulatedMarketData(IQuotedSymbols symbols, SimulatedFeedOptions options, TimeProvider time)
    : IMarketDataProvider
{
    public const string ProviderName = "simulated";

    private readonly Dictionary<string, SymbolWalk> _walks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly decimal _volatility = options.Volatility is > 0m and <= 0.1m
        ? options.Volatility
        : throw new ArgumentOutOfRangeException(nameof(options), options.Volatility, "Volatility must be in (0, 0.1].");

    public string Name => ProviderName;

    public async Task<Quote> GetQuoteAsync(string symbol, CancellationToken ct)
    {
        var walk = Find(symbol);
        if (walk is null)
        {
            // Instruments can be listed after the feed started: one refresh before calling the symbol unknown.
            Remember(await symbols.GetAsync(ct));
            walk = Find(symbol) ?? throw new MarketDataUnavailableException($"unknown symbol '{symbol}'");
        }

        return walk.Next(time.GetUtcNow(), Name);
    }

    private SymbolWalk? Find(string symbol)
    {
        lock (_gate)
        {
            return _walks.GetValueOrDefault(symbol);
        }
    }

    private void Remember(IReadOnlyList<QuotedSymbol> quoted)
    {
        lock (_gate)
        {
            foreach (var s in quoted.Where(IsUsable))
            {
                // A symbol already walking keeps its walk: a refresh must not rewind it.
                _walks.TryAdd(s.Symbol, new SymbolWalk(s, StableHash.SeedFor(options.Seed, s.Symbol), _volatility));
            }
        }
    }

    private static bool IsUsable(QuotedSymbol s) => s.ReferencePrice > 0m && s.TickSize > 0m && s.LotSize > 0m;
}
