using System.ComponentModel.DataAnnotations;

namespace EventStore.Domain.Trading;

/// <summary>Section `Trading`: risk limits, fees and the trading session.</summary>
public sealed class TradingOptions
{
    public const string SectionName = "Trading";

    /// <summary>Largest order notional: quantity × limit price, or for market orders × the ask (buys) or bid (sells).</summary>
    [Range(typeof(decimal), "1", "1000000000000")]
    public decimal MaxOrderNotional { get; set; } = 1_000_000m;

    /// <summary>Market buys reserve quantity × ask × (1 + this), so a moving ask cannot overdraw the account.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal MarketBuyBuffer { get; set; } = 0.05m;

    /// <summary>Fee per fill: Fixed + Rate × notional, rounded to cents, at least MinimumFee.</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal FixedFee { get; set; }

    [Range(typeof(decimal), "0", "0.1")]
    public decimal FeeRate { get; set; } = 0.0005m;

    [Range(typeof(decimal), "0", "1000")]
    public decimal MinimumFee { get; set; } = 1m;

    /// <summary>DAY orders expire at this UTC time of day (the session end).</summary>
    public TimeSpan SessionEndUtc { get; set; } = new(21, 0, 0);

    /// <summary>A quote older than this is stale for market orders.</summary>
    public TimeSpan MaxQuoteAge { get; set; } = TimeSpan.FromMinutes(2);

    public decimal FeeFor(decimal notional) => Math.Max(MinimumFee, Money.Cash(FixedFee + FeeRate * notional));

    public DateTimeOffset SessionEndAfter(DateTimeOffset now)
    {
        var end = new DateTimeOffset(now.UtcDateTime.Date + SessionEndUtc, TimeSpan.Zero);
        return end > now ? end : end.AddDays(1);
    }
}
