using EventStore.Domain.MarketData;
using Microsoft.Extensions.Options;

namespace EventStore.Api.MarketData;

// Each failure names the setting as it is written in configuration, so a bad value stops the app with a useful line.

internal sealed class MarketDataOptionsValidation : IValidateOptions<MarketDataOptions>
{
    public ValidateOptionsResult Validate(string? name, MarketDataOptions o)
    {
        var failures = new List<string>();
        if (!o.UsesHttp && !string.Equals(o.Provider, MarketDataOptions.Simulated, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"MarketData:Provider must be '{MarketDataOptions.Simulated}' or '{MarketDataOptions.Http}', not '{o.Provider}'.");
        }

        if (o.TickInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add("MarketData:TickInterval must be at least 00:00:00.1.");
        }

        if (o.Heartbeat < TimeSpan.Zero)
        {
            failures.Add("MarketData:Heartbeat must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

// Reads MarketData:Provider from configuration rather than IOptions<MarketDataOptions>: a bad MarketData section must be
// reported once, by its own validator, not again from here.
internal sealed class HttpMarketDataOptionsValidation(IConfiguration marketData) : IValidateOptions<HttpMarketDataOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpMarketDataOptions o)
    {
        var failures = new List<string>();
        if (new MarketDataOptions { Provider = marketData[nameof(MarketDataOptions.Provider)] ?? "" }.UsesHttp)
        {
            if (!Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                failures.Add("MarketData:Http:BaseUrl is required (an absolute http or https URL) when MarketData:Provider is 'http'.");
            }

            if (string.IsNullOrWhiteSpace(o.ApiKey))
            {
                failures.Add("MarketData:Http:ApiKey is required when MarketData:Provider is 'http' (set it from the environment or user secrets).");
            }
        }

        // Polly's own bounds: a timeout of 10 ms to 1 day, break and sampling durations of at least 0.5 s.
        Check(failures, o.AttemptTimeout >= TimeSpan.FromMilliseconds(10) && o.AttemptTimeout <= TimeSpan.FromMinutes(5), "AttemptTimeout", "between 00:00:00.01 and 00:05:00");
        Check(failures, o.MaxRetries is >= 0 and <= 10, "MaxRetries", "between 0 and 10");
        Check(failures, o.BaseDelay >= TimeSpan.Zero && o.BaseDelay <= TimeSpan.FromMinutes(1), "BaseDelay", "between 00:00:00 and 00:01:00");
        Check(failures, o.MaxRetryAfter >= TimeSpan.Zero && o.MaxRetryAfter <= TimeSpan.FromMinutes(10), "MaxRetryAfter", "between 00:00:00 and 00:10:00");
        Check(failures, o.BreakDuration >= TimeSpan.FromSeconds(0.5), "BreakDuration", "at least 00:00:00.5");
        Check(failures, o.SamplingDuration >= TimeSpan.FromSeconds(0.5), "SamplingDuration", "at least 00:00:00.5");
        Check(failures, o.FailureRatio is > 0 and <= 1, "FailureRatio", "in (0, 1]");
        Check(failures, o.MinimumThroughput >= 2, "MinimumThroughput", "at least 2");
        Check(failures, o.SpreadTicks >= 1, "SpreadTicks", "at least 1");
        Check(failures, o.TickSize > 0m, "TickSize", "positive");
        Check(failures, o.DefaultSize > 0m, "DefaultSize", "positive");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, bool ok, string setting, string rule)
    {
        if (!ok)
        {
            failures.Add($"MarketData:Http:{setting} must be {rule}.");
        }
    }
}

internal sealed class SimulatedFeedOptionsValidation : IValidateOptions<SimulatedFeedOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatedFeedOptions o) =>
        o.Volatility is > 0m and <= 0.1m
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("MarketData:Simulated:Volatility must be in (0, 0.1].");
}
