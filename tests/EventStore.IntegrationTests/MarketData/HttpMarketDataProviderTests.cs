using System.Globalization;
using System.Net;
using EventStore.Api.MarketData;
using EventStore.Api.Resilience;
using EventStore.Domain.MarketData;
using Microsoft.Extensions.Options;
using static EventStore.IntegrationTests.MarketData.VendorStub;

namespace EventStore.IntegrationTests.MarketData;

// The vendor is outside our walls: WireMock plays it on 127.0.0.1. Polly runs on a manual clock, so every wait the
// pipeline asks for is observed and skipped, never slept; no PostgreSQL and no app host are needed.
public sealed class HttpMarketDataProviderTests : IDisposable
{
    private const string ApiKey = "k3y-S3cr3t/+=";

    // Distinct from every retry wait in these tests, so the per-attempt timeout's timer is told apart from them.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
    private readonly List<string> _logs = [];
    private readonly HttpClient _http = new();

    // A call that waits for a retry nobody skips fails after this (real) time instead of hanging the run.
    private readonly CancellationTokenSource _bound = new(TimeSpan.FromSeconds(15));
    private readonly VendorStub _vendor = new();

    [Fact]
    public async Task a_quote_is_the_vendors_price_with_the_configured_spread_and_size()
    {
        _vendor.Answer(Quote("IBM", 123.45m));

        var quote = await Provider().GetQuoteAsync("IBM", Bounded);

        Assert.Equal(new Quote("IBM", 123.44m, 123.46m, 100m, 100m, _time.GetUtcNow(), "http"), quote);
        var query = Assert.Single(_vendor.Queries);
        Assert.Contains("function=GLOBAL_QUOTE", query, StringComparison.Ordinal);
        Assert.Contains("symbol=IBM", query, StringComparison.Ordinal);
        Assert.Contains("apikey=" + Uri.EscapeDataString(ApiKey), query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_429_with_retry_after_seconds_waits_that_long_then_succeeds()
    {
        _vendor.Answer(Status(HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "7"), Quote("IBM", 100m));
        var start = _time.GetUtcNow();

        var (quote, waits) = await CompleteAsync(Provider().GetQuoteAsync("IBM", Bounded));

        Assert.Equal([TimeSpan.FromSeconds(7)], waits);
        Assert.True(quote.QuotedAt - start >= TimeSpan.FromSeconds(7));
        Assert.Equal(2, _vendor.Requests);
    }

    [Fact]
    public async Task a_503_with_a_retry_after_date_waits_until_that_date()
    {
        var retryAt = _time.GetUtcNow().AddSeconds(9).ToString("R", CultureInfo.InvariantCulture);
        _vendor.Answer(Status(HttpStatusCode.ServiceUnavailable).WithHeader("Retry-After", retryAt), Quote("IBM", 100m));

        var (_, waits) = await CompleteAsync(Provider().GetQuoteAsync("IBM", Bounded));

        Assert.Equal([TimeSpan.FromSeconds(9)], waits);
        Assert.Equal(2, _vendor.Requests);
    }

    [Fact]
    public async Task a_retry_after_beyond_the_cap_waits_only_the_cap()
    {
        _vendor.Answer(Status(HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "3600"), Quote("IBM", 100m));

        var (_, waits) = await CompleteAsync(Provider().GetQuoteAsync("IBM", Bounded));

        Assert.Equal([TimeSpan.FromSeconds(30)], waits);
    }

    [Fact]
    public async Task server_errors_are_retried_with_backoff_then_succeed()
    {
        _vendor.Answer(Status(HttpStatusCode.InternalServerError), Status(HttpStatusCode.BadGateway), Quote("IBM", 100m));

        var (quote, waits) = await CompleteAsync(Provider().GetQuoteAsync("IBM", Bounded));

        Assert.Equal(99.99m, quote.Bid);
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5)));
        Assert.Equal(3, _vendor.Requests);
    }

    [Fact]
    public async Task an_attempt_that_times_out_is_retried()
    {
        _vendor.HangFirstThen(QuoteBody("IBM", 101m));
        var call = Provider().GetQuoteAsync("IBM", Bounded);

        await _vendor.WaitForArrivalsAsync(1);
        _time.Advance(await _time.WaitForTimerAsync(w => w == AttemptTimeout));
        var (quote, waits) = await CompleteAsync(call);

        Assert.Equal(100.99m, quote.Bid);
        Assert.Single(waits);
        Assert.Equal(2, _vendor.Arrivals);
    }

    [Fact]
    public async Task when_retries_are_exhausted_the_last_status_is_the_reason()
    {
        _vendor.Answer(Status(HttpStatusCode.InternalServerError));

        var e = await Assert.ThrowsAsync<MarketDataUnavailableException>(
            () => CompleteAsync(Provider(o => o.MinimumThroughput = 100).GetQuoteAsync("IBM", Bounded)));

        Assert.StartsWith("retries exhausted: 500", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, _vendor.Requests);
    }

    [Fact]
    public async Task an_unreachable_vendor_is_retried_then_unavailable()
    {
        var e = await Assert.ThrowsAsync<MarketDataUnavailableException>(() => CompleteAsync(
            Provider(o => o.BaseUrl = ClosedPortUrl()).GetQuoteAsync("IBM", Bounded)));

        Assert.StartsWith("retries exhausted: ConnectionError", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_client_error_is_not_retried()
    {
        _vendor.Answer(Status(HttpStatusCode.Unauthorized));

        var e = await Assert.ThrowsAsync<MarketDataUnavailableException>(
            () => Provider().GetQuoteAsync("IBM", Bounded));

        Assert.StartsWith("vendor answered 401", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _vendor.Requests);
    }

    [Theory]
    [InlineData("""{"Global Quote": {}}""", "vendor has no quote")]
    [InlineData("""{"Note": "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute."}""", "call frequency")]
    [InlineData("""{"Error Message": "Invalid API call."}""", "Invalid API call")]
    [InlineData("""{"Global Quote": {"05. price": "n/a"}}""", "not a positive number")]
    [InlineData("<html>maintenance</html>", "not JSON")]
    public async Task an_answer_without_a_price_is_unavailable_with_the_vendors_explanation(string body, string reason)
    {
        _vendor.Answer(Ok(body));

        var e = await Assert.ThrowsAsync<MarketDataUnavailableException>(
            () => Provider().GetQuoteAsync("IBM", Bounded));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _vendor.Requests);
    }

    [Fact]
    public async Task the_circuit_opens_after_enough_failures_and_then_fails_fast_without_calling_the_vendor()
    {
        _vendor.Answer(Status(HttpStatusCode.InternalServerError));
        var provider = Provider();

        // Four failed attempts (one call and its three retries) reach MinimumThroughput with a failure ratio of 1.
        await Assert.ThrowsAsync<MarketDataUnavailableException>(() => CompleteAsync(provider.GetQuoteAsync("IBM", Bounded)));
        Assert.Equal(4, _vendor.Requests);

        var e = await Assert.ThrowsAsync<MarketDataUnavailableException>(() => provider.GetQuoteAsync("IBM", Bounded));

        Assert.Equal("circuit open", e.Message);
        Assert.Equal(4, _vendor.Requests);
    }

    [Fact]
    public async Task the_circuit_closes_again_after_the_break_duration()
    {
        _vendor.Answer(Status(HttpStatusCode.InternalServerError));
        var provider = Provider();
        await Assert.ThrowsAsync<MarketDataUnavailableException>(() => CompleteAsync(provider.GetQuoteAsync("IBM", Bounded)));
        _vendor.Reset();
        _vendor.Answer(Quote("IBM", 100m));

        _time.Advance(TimeSpan.FromSeconds(29));
        await Assert.ThrowsAsync<MarketDataUnavailableException>(() => provider.GetQuoteAsync("IBM", Bounded));
        Assert.Equal(0, _vendor.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        var trial = await provider.GetQuoteAsync("IBM", Bounded);
        var next = await provider.GetQuoteAsync("IBM", Bounded);

        Assert.Equal(100.01m, trial.Ask);
        Assert.Equal(100.01m, next.Ask);
        Assert.Equal(2, _vendor.Requests);
    }

    [Fact]
    public async Task the_api_key_appears_in_no_exception_and_no_log_line()
    {
        var failures = new List<Exception>();
        _vendor.Answer(Ok($$"""{"Error Message": "the key {{ApiKey}} is invalid"}"""));
        failures.Add(await Assert.ThrowsAsync<MarketDataUnavailableException>(() => Provider().GetQuoteAsync("IBM", Bounded)));

        _vendor.Reset();
        _vendor.Answer(Status(HttpStatusCode.ServiceUnavailable));
        var provider = Provider();
        failures.Add(await Assert.ThrowsAsync<MarketDataUnavailableException>(() => CompleteAsync(provider.GetQuoteAsync("IBM", Bounded))));
        failures.Add(await Assert.ThrowsAsync<MarketDataUnavailableException>(() => provider.GetQuoteAsync("IBM", Bounded)));
        failures.Add(await Assert.ThrowsAsync<MarketDataUnavailableException>(() => CompleteAsync(
            Provider(o => o.BaseUrl = ClosedPortUrl()).GetQuoteAsync("IBM", Bounded))));

        Assert.Contains(failures, e => e.Message.Contains("***", StringComparison.Ordinal));
        Assert.All(failures, e => Assert.DoesNotContain(ApiKey, e.ToString(), StringComparison.Ordinal));
        Assert.NotEmpty(_logs);
        Assert.All(_logs, line => Assert.DoesNotContain(ApiKey, line, StringComparison.Ordinal));
        Assert.All(_logs, line => Assert.DoesNotContain(Uri.EscapeDataString(ApiKey), line, StringComparison.Ordinal));
    }

    private CancellationToken Bounded => _bound.Token;

    public void Dispose()
    {
        _vendor.Dispose();
        _http.Dispose();
        _bound.Dispose();
    }

    private HttpMarketDataProvider Provider(Action<HttpMarketDataOptions>? change = null)
    {
        var options = new HttpMarketDataOptions { BaseUrl = _vendor.Url, ApiKey = ApiKey, AttemptTimeout = AttemptTimeout };
        change?.Invoke(options);
        var wrapped = Options.Create(options);
        return new HttpMarketDataProvider(
            _http, ResiliencePipelines.BuildHttpDependency("Market data", options, _time, new RecordingLogger<HttpMarketDataProvider>(_logs)),
            wrapped, _time, new RecordingLogger<HttpMarketDataProvider>(_logs));
    }

    /// <summary>Lets <paramref name="call"/> finish, skipping every retry wait it asks for; returns those waits.</summary>
    private async Task<(Quote Quote, List<TimeSpan> Waits)> CompleteAsync(Task<Quote> call)
    {
        var waits = new List<TimeSpan>();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!call.IsCompleted)
        {
            var armed = _time.TimersChanged;
            if (_time.Pending().Where(w => w != AttemptTimeout).Select(w => (TimeSpan?)w).FirstOrDefault() is { } wait)
            {
                waits.Add(wait);
                _time.Advance(wait);
            }
            else
            {
                // Woken by the call's end or by a timer it arms (a retry's backoff), never by a clock of our own.
                await Task.WhenAny(call, armed).WaitAsync(bound.Token);
            }
        }

        return (await call, waits);
    }

    private static string ClosedPortUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
