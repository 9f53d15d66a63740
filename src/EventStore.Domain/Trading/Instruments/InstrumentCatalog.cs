namespace EventStore.Domain.Trading.Instruments;

/// <summary>The instruments listed on first start (fictional reference prices; the simulated feed walks from them).</summary>
public static class InstrumentCatalog
{
    public sealed record Entry(string Symbol, string Name, decimal TickSize, decimal LotSize, decimal ReferencePrice);

    public const string Currency = "USD";

    public static readonly IReadOnlyList<Entry> Seed =
    [
        new("AAPL", "Apple Inc.", 0.01m, 1m, 190.00m),
        new("MSFT", "Microsoft Corporation", 0.01m, 1m, 410.00m),
        new("GOOGL", "Alphabet Inc. Class A", 0.01m, 1m, 165.00m),
        new("AMZN", "Amazon.com, Inc.", 0.01m, 1m, 180.00m),
        new("NVDA", "NVIDIA Corporation", 0.01m, 1m, 120.00m),
        new("META", "Meta Platforms, Inc.", 0.01m, 1m, 500.00m),
        new("TSLA", "Tesla, Inc.", 0.01m, 1m, 240.00m),
        new("BRK.B", "Berkshire Hathaway Inc. Class B", 0.01m, 1m, 420.00m),
        new("JPM", "JPMorgan Chase & Co.", 0.01m, 1m, 200.00m),
        new("V", "Visa Inc.", 0.01m, 1m, 275.00m),
        new("JNJ", "Johnson & Johnson", 0.01m, 1m, 155.00m),
        new("WMT", "Walmart Inc.", 0.01m, 1m, 68.00m),
        new("PG", "Procter & Gamble Company", 0.01m, 1m, 165.00m),
        new("XOM", "Exxon Mobil Corporation", 0.01m, 1m, 115.00m),
        new("KO", "Coca-Cola Company", 0.01m, 1m, 62.00m),
        new("PEP", "PepsiCo, Inc.", 0.01m, 1m, 170.00m),
        new("DIS", "Walt Disney Company", 0.01m, 1m, 95.00m),
        new("NFLX", "Netflix, Inc.", 0.01m, 1m, 650.00m),
        new("INTC", "Intel Corporation", 0.01m, 1m, 30.00m),
        new("AMD", "Advanced Micro Devices, Inc.", 0.01m, 1m, 160.00m),
        new("BAC", "Bank of America Corporation", 0.01m, 1m, 39.00m),
        new("CSCO", "Cisco Systems, Inc.", 0.01m, 1m, 50.00m),
        new("SPY", "SPDR S&P 500 ETF Trust", 0.01m, 1m, 540.00m),
        new("QQQ", "Invesco QQQ Trust", 0.01m, 1m, 470.00m),
        new("GLD", "SPDR Gold Shares", 0.01m, 1m, 215.00m),
        new("TLT", "iShares 20+ Year Treasury Bond ETF", 0.01m, 1m, 92.00m),
        new("EURUSD.F", "Euro FX future (mini, lots of 10)", 0.0001m, 10m, 1.0850m),
        new("BTC.X", "Bitcoin tracker (fractional lots)", 0.5m, 0.001m, 65000.00m),
    ];
}
