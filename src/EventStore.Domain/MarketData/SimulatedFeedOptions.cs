namespace EventStore.Domain.MarketData;

/// <summary>Section <c>MarketData:Simulated</c>: the seeded random walk of the offline feed.</summary>
public sealed class SimulatedFeedOptions
{
    public const string SectionName = "MarketData:Simulated";

    /// <summary>Same seed and same calls per symbol give the same quotes, in any process on any machine.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Relative standard deviation of one step of the walk (0.002 = 0.2 % per quote); at most 0.1.</summary>
    public decimal Volatility { get; set; } = 0.002m;
}
