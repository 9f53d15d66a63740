namespace EventStore.Domain.MarketData;

/// <summary>
/// One symbol's random walk. Only integer draws from a seeded <see cref="Random"/> and decimal arithmetic: no floating
/// point library call whose last bit could differ between machines, so a seed replays exactly everywhere.
/// </summary>
internal sealed class SymbolWalk(QuotedSymbol symbol, int seed, decimal volatility)
{
    private const int MaxSpreadTicks = 3;
    private const int MaxLots = 20;
    private const int UniformScale = 1_000_000;

    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();
    private decimal _mid = symbol.ReferencePrice;
    private bool _started;

    public QuotedSymbol Symbol => symbol;

    public Quote Next(DateTimeOffset now, string source)
    {
        lock (_gate)
        {
            // The first quote sits on the reference price; every later one is one step further.
            if (_started)
            {
                _mid = Math.Max(symbol.TickSize, _mid * (1m + volatility * StandardNormal()));
            }

            _started = true;
            var tick = symbol.TickSize;
            var spread = _random.Next(1, MaxSpreadTicks + 1) * tick;
            var bid = Math.Max(tick, RoundToTick(_mid - spread / 2m, tick));
            var bidSize = _random.Next(1, MaxLots + 1) * symbol.LotSize;
            var askSize = _random.Next(1, MaxLots + 1) * symbol.LotSize;
            return new Quote(symbol.Symbol, bid, bid + spread, bidSize, askSize, now, source);
        }
    }

    private static decimal RoundToTick(decimal price, decimal tick) =>
        Math.Round(price / tick, MidpointRounding.ToEven) * tick;

    /// <summary>Irwin-Hall: the sum of 12 uniforms minus 6 is close to N(0, 1) and bounded to [-6, 6].</summary>
    private decimal StandardNormal()
    {
        long sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += _random.Next(0, UniformScale + 1);
        }

        return (sum - 6L * UniformScale) / (decimal)UniformScale;
    }
}
