using System.Net;
using EventStore.Api.Resilience;
using EventStore.Domain.MarketData;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace EventStore.Api.MarketData;

/// <summary>
/// Quotes from an Alpha Vantage-style <c>GLOBAL_QUOTE</c> endpoint (provider name <c>http</c>), through the pipeline
/// <see cref="ResiliencePipelines.MarketData"/>. Whatever goes wrong ends as <see cref="MarketDataUnavailableException"/>
/// with a short reason (<c>circuit open</c>, <c>retries exhausted: 500</c>, ...); the API key never appears in a message or log.
/// </summary>
public sealed class HttpMarketDataProvider(
    HttpClient http,
    [FromKeyedServices(ResiliencePipelines.MarketData)] ResiliencePipeline<HttpResponseMessage> pipeline,
    IOptions<HttpMarketDataOptions> options,
    TimeProvider time,
    ILogger<HttpMarketDataProvider> logger) : IMarketDataProvider
{
    public const string ProviderName = "http";

    private readonly HttpMarketDataOptions _options = options.Value;

    public string Name => ProviderName;

    public async Task<Quote> GetQuoteAsync(string symbol, CancellationToken ct)
    {
        var url = QueryUrl(symbol);
        logger.LogDebug("Market data GET {Url}", Redact(url.ToString()));
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            // The body is read inside the attempt (ResponseContentRead), so the per-attempt timeout covers it too.
            response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                return await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, token);
            }, ct);
        }
        catch (BrokenCircuitException e)
        {
            throw Unavailable("circuit open", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw Unavailable($"retries exhausted: timeout after {_options.AttemptTimeout} ({Attempts(attempts)})", e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable($"retries exhausted: {e.HttpRequestError} ({Attempts(attempts)})", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw Unavailable(ResiliencePipelines.IsTransient(Polly.Outcome.FromResult(response))
                    ? $"retries exhausted: {status} ({Attempts(attempts)})"
                    : $"vendor answered {status} {response.StatusCode}");
            }

            var body = await response.Content.ReadAsStringAsync(ct);
            var parsed = GlobalQuote.Parse(body);
            if (parsed.Price is not { } price)
            {
                throw Unavailable($"no quote for '{symbol}': {parsed.Problem}");
            }

            return ToQuote(symbol, price);
        }
    }

    private static string Attempts(int count) => count == 1 ? "1 attempt" : $"{count} attempts";

    private Quote ToQuote(string symbol, decimal price)
    {
        // The vendor gives a last price only: a book of SpreadTicks around it, the bid rounded down to the tick.
        var tick = _options.TickSize;
        var spread = _options.SpreadTicks * tick;
        var bid = Math.Floor((price - spread / 2m) / tick) * tick;
        if (bid <= 0m)
        {
            throw Unavailable($"price {price} of '{symbol}' is too low for a spread of {_options.SpreadTicks} ticks");
        }

        return new Quote(symbol, bid, bid + spread, _options.DefaultSize, _options.DefaultSize, time.GetUtcNow(), Name);
    }

    private Uri QueryUrl(string symbol)
    {
        var root = (_options.BaseUrl ?? throw Unavailable("MarketData:Http:BaseUrl is not configured")).TrimEnd('/');
        return new Uri(
            $"{root}/query?function=GLOBAL_QUOTE&symbol={Uri.EscapeDataString(symbol)}&apikey={Uri.EscapeDataString(_options.ApiKey ?? "")}");
    }

    private MarketDataUnavailableException Unavailable(string reason, Exception? inner = null)
    {
        var message = Redact(reason);
        // Debug only: the pump logs each symbol's transition into failure once, the pipeline its retries and circuit.
        logger.LogDebug("Market data unavailable: {Reason}", message);
        return new MarketDataUnavailableException(message, inner);
    }

    /// <summary>Removes the API key (raw and URL-escaped) from any text that may be logged or thrown.</summary>
    private string Redact(string text)
    {
        if (string.IsNullOrEmpty(_options.ApiKey))
        {
            return text;
        }

        return text.Replace(_options.ApiKey, "***", StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(_options.ApiKey), "***", StringComparison.Ordinal)
            .Replace(WebUtility.UrlEncode(_options.ApiKey), "***", StringComparison.Ordinal);
    }
}
