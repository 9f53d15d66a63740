using EventStore.Domain.MarketData;

namespace EventStore.UnitTests.MarketData;

/// <summary>The Trading module's list of quoted symbols, as a plain list; counts reads to show the feed caches it.</summary>
internal sealed class InstrumentList(params QuotedSymbol[] symbols) : IQuotedSymbols
{
    private readonly List<QuotedSymbol> _symbols = [.. symbols];

    public int Reads { get; private set; }

    public void List(QuotedSymbol symbol) => _symbols.Add(symbol);

    public Task<IReadOnlyList<QuotedSymbol>> GetAsync(CancellationToken ct)
    {
        Reads++;
        return Task.FromResult<IReadOnlyList<QuotedSymbol>>([.. _symbols]);
    }
}
