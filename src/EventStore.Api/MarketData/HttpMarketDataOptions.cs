using EventStore.Api.Resilience;

namespace EventStore.Api.MarketData;

/// <summary>Section <c>MarketData:Http</c>: an Alpha Vantage-style GLOBAL_QUOTE endpoint and its resilience policy.</summary>
public sealed class HttpMarketDataOptions : IHttpDependencyPolicy
{
    public const string SectionName = "MarketData:Http";

    /// <summary>Vendor root; requests go to <c>{BaseUrl}/query?function=GLOBAL_QUOTE&amp;symbol=..&amp;apikey=..</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Secret: from configuration (environment, user secrets) only, never logged, redacted from URLs.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Each attempt (request and body) is cancelled after this long and counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries after the first attempt; 0 disables retrying.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base of the exponential backoff (with jitter) between attempts.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap on a vendor's <c>Retry-After</c>: a longer wait is shortened to this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one trial call is let through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The circuit opens when at least this share of attempts in the sampling window failed...</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>... and the window saw at least this many attempts.</summary>
    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The vendor gives a last price only: bid and ask are placed this many ticks apart around it.</summary>
    public int SpreadTicks { get; set; } = 2;

    public decimal TickSize { get; set; } = 0.01m;

    /// <summary>Bid and ask size of every vendor quote (the vendor gives none).</summary>
    public decimal DefaultSize { get; set; } = 100m;
}
