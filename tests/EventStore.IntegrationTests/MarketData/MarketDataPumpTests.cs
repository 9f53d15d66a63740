using System.Net;
using EventStore.Api.MarketData;
using EventStore.Api.Resilience;
using EventStore.Domain.MarketData;
using EventStore.Domain.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static EventStore.IntegrationTests.MarketData.VendorStub;

namespace EventStore.IntegrationTests.MarketData;

// The pump against the real HTTP provider and a vendor played by WireMock on 127.0.0.1 (the vendor is outside our
// walls). Quotes go to a recording sink, the boundary where the Trading module takes over. Ticks are driven by
// PumpOnceAsync and time by a manual clock: no waiting.
public sealed class MarketDataPumpTests : IDisposable
{
    private static readonly QuotedSymbol Ibm = new("IBM", 100m, 0.01m, 1m);
    private static readonly QuotedSymbol Msft = new("MSFT", 400m, 0.01m, 1m);

    private readonly VendorStub _vendor = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
    private readonly RecordingSink _sink = new();
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _bound = new(TimeSpan.FromSeconds(15));
    private readonly List<ServiceProvider> _containers = [];

    private CancellationToken Bounded => _bound.Token;

    [Fact]
    public async Task a_tick_records_a_quote_for_every_symbol()
    {
        _vendor.Answer("IBM", Quote("IBM", 100m));
        _vendor.Answer("MSFT", Quote("MSFT", 400m));

        await Pump(Ibm, Msft).PumpOnceAsync(Bounded);

        Assert.Equal(["IBM", "MSFT"], _sink.Recorded.Select(q => q.Symbol));
        Assert.Equal([99.99m, 399.99m], _sink.Recorded.Select(q => q.Bid));
        Assert.Empty(_sink.MarkedStale);
    }

    [Fact]
    public async Task an_unchanged_quote_is_sent_again_only_once_the_heartbeat_has_passed()
    {
        _vendor.Answer(Quote("IBM", 100m));
        var pump = Pump(Ibm);

        await pump.PumpOnceAsync(Bounded);
        await pump.PumpOnceAsync(Bounded);
        _time.Advance(TimeSpan.FromSeconds(59));
        await pump.PumpOnceAsync(Bounded);
        Assert.Single(_sink.Recorded);

        _time.Advance(TimeSpan.FromSeconds(1));
        await pump.PumpOnceAsync(Bounded);

        Assert.Equal(2, _sink.Recorded.Count);
        Assert.Equal(_time.GetUtcNow(), _sink.Recorded[1].QuotedAt);
    }

    [Fact]
    public async Task a_changed_quote_is_sent_at_once()
    {
        _vendor.Answer(Quote("IBM", 100m), Quote("IBM", 100.05m));
        var pump = Pump(Ibm);

        await pump.PumpOnceAsync(Bounded);
        await pump.PumpOnceAsync(Bounded);

        Assert.Equal([99.99m, 100.04m], _sink.Recorded.Select(q => q.Bid));
    }

    [Fact]
    public async Task a_failing_symbol_is_marked_stale_once_per_failure_and_recorded_again_after_recovery()
    {
        var failing = Status(HttpStatusCode.InternalServerError);
        _vendor.Answer(Quote("IBM", 100m), failing, failing, failing, Quote("IBM", 100m), Quote("IBM", 100m), failing);
        var pump = Pump(Ibm);

        for (var tick = 0; tick < 4; tick++)
        {
            await pump.PumpOnceAsync(Bounded);
        }

        var stale = Assert.Single(_sink.MarkedStale);
        Assert.Equal(new MarkQuotesStale("IBM", "retries exhausted: 500 (1 attempt)", _time.GetUtcNow()), stale);

        // The quote after recovery is the same as the one before the failure, yet it is sent: it clears the staleness.
        await pump.PumpOnceAsync(Bounded);
        await pump.PumpOnceAsync(Bounded);
        Assert.Equal(2, _sink.Recorded.Count);

        await pump.PumpOnceAsync(Bounded);
        Assert.Equal(2, _sink.MarkedStale.Count);
    }

    [Fact]
    public async Task a_vendors_error_text_is_scrubbed_into_the_stale_reason_rather_than_refused()
    {
        // Text from outside: refused, the symbol would never go stale; so what the input rule forbids is replaced.
        var message = "vendor says:\r\nbad\u0000thing " + new string('x', 600);

        await Pump(new FailingProvider(message), Ibm).PumpOnceAsync(Bounded);

        var stale = Assert.Single(_sink.MarkedStale);
        Assert.StartsWith("vendor says:  bad\uFFFDthing xxx", stale.Reason, StringComparison.Ordinal);
        Assert.Equal(MarkQuotesStale.ReasonMaxLength, stale.Reason.Length);
        Assert.Null(TextHygiene.Check(stale.Reason, TextRule.SingleLine(MarkQuotesStale.ReasonMaxLength)));
    }

    [Fact]
    public async Task one_failing_symbol_does_not_hold_back_the_others()
    {
        _vendor.Answer("IBM", Status(HttpStatusCode.Unauthorized));
        _vendor.Answer("MSFT", Quote("MSFT", 400m));

        await Pump(Ibm, Msft).PumpOnceAsync(Bounded);

        Assert.Equal("MSFT", Assert.Single(_sink.Recorded).Symbol);
        Assert.Equal("IBM", Assert.Single(_sink.MarkedStale).Symbol);
    }

    [Fact]
    public async Task a_failed_send_does_not_stop_the_tick_and_is_tried_again_next_tick()
    {
        _vendor.Answer(Quote("IBM", 100m));
        _sink.RecordFailures = 1;
        var pump = Pump(Ibm);

        await pump.PumpOnceAsync(Bounded);
        Assert.Empty(_sink.Recorded);

        await pump.PumpOnceAsync(Bounded);
        Assert.Single(_sink.Recorded);
    }

    [Fact]
    public async Task a_failed_stale_mark_is_tried_again_next_tick_and_then_not_repeated()
    {
        _vendor.Answer(Status(HttpStatusCode.InternalServerError));
        _sink.StaleFailures = 1;
        var pump = Pump(Ibm);

        await pump.PumpOnceAsync(Bounded);
        Assert.Empty(_sink.MarkedStale);

        await pump.PumpOnceAsync(Bounded);
        await pump.PumpOnceAsync(Bounded);
        Assert.Single(_sink.MarkedStale);
    }

    [Fact]
    public async Task the_pump_sends_the_simulated_feeds_quotes_which_replay_for_the_same_seed()
    {
        var options = new SimulatedFeedOptions { Seed = 11 };
        var pump = Pump(new SimulatedMarketData(new SymbolList(Ibm, Msft), options, _time), Ibm, Msft);

        await pump.PumpOnceAsync(Bounded);
        await pump.PumpOnceAsync(Bounded);

        var replay = new SimulatedMarketData(new SymbolList(Ibm, Msft), options, _time);
        var expected = new List<Quote>();
        for (var tick = 0; tick < 2; tick++)
        {
            expected.Add(await replay.GetQuoteAsync("IBM", Bounded));
            expected.Add(await replay.GetQuoteAsync("MSFT", Bounded));
        }

        Assert.Equal(expected, _sink.Recorded);
    }

    [Fact]
    public async Task the_hosted_pump_ticks_once_the_app_has_started_then_every_tick_interval()
    {
        // The first tick without waiting an interval: readiness waits for every instrument's first quote.
        _vendor.Answer(Quote("IBM", 100m), Quote("IBM", 100.05m), Quote("IBM", 100.10m));
        var pump = Pump(HttpProvider(), new MarketDataOptions { Enabled = true, TickInterval = TimeSpan.FromSeconds(5) }, Ibm);
        await pump.StartAsync(Bounded);

        await _sink.WaitForRecordedAsync(1);
        Assert.Single(_sink.Recorded);
        Assert.Equal(TimeSpan.FromSeconds(5), await _time.WaitForTimerAsync(w => w == TimeSpan.FromSeconds(5)));
        _time.Advance(TimeSpan.FromSeconds(5));
        await _sink.WaitForRecordedAsync(2);
        Assert.Equal(2, _sink.Recorded.Count);
        _time.Advance(TimeSpan.FromSeconds(5));
        await _sink.WaitForRecordedAsync(3);
        Assert.Equal(3, _sink.Recorded.Count);

        await pump.StopAsync(Bounded);
    }

    [Fact]
    public async Task a_disabled_pump_never_ticks()
    {
        var pump = Pump(HttpProvider(), new MarketDataOptions { Enabled = false }, Ibm);

        await pump.StartAsync(Bounded);
        await pump.ExecuteTask!.WaitAsync(Bounded);

        Assert.Empty(_time.Pending());
        Assert.Equal(0, _vendor.Requests);
        await pump.StopAsync(Bounded);
    }

    public void Dispose()
    {
        foreach (var container in _containers)
        {
            container.Dispose();
        }

        _vendor.Dispose();
        _http.Dispose();
        _bound.Dispose();
    }

    /// <summary>An app that has started already (the pump's first tick waits for that).</summary>
    private sealed class StartedApp : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted { get; } = new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private sealed class FailingProvider(string message) : IMarketDataProvider
    {
        public string Name => "failing";

        public Task<Quote> GetQuoteAsync(string symbol, CancellationToken ct) => throw new MarketDataUnavailableException(message);
    }

    private MarketDataPump Pump(params QuotedSymbol[] symbols) => Pump(HttpProvider(), symbols);

    private MarketDataPump Pump(IMarketDataProvider provider, params QuotedSymbol[] symbols) =>
        Pump(provider, new MarketDataOptions { Enabled = false }, symbols);

    private MarketDataPump Pump(IMarketDataProvider provider, MarketDataOptions options, params QuotedSymbol[] symbols)
    {
        var container = new ServiceCollection()
            .AddSingleton<IQuotedSymbols>(new SymbolList(symbols))
            .AddSingleton(provider)
            .AddSingleton<IQuoteSink>(_sink)
            .BuildServiceProvider(validateScopes: true);
        _containers.Add(container);
        return new MarketDataPump(
            container.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), _time, new StartedApp(),
            NullLogger<MarketDataPump>.Instance);
    }

    // No retries and no circuit breaking (the provider's tests cover them): each tick is one request, so the scripted
    // answers map one to one onto ticks.
    private HttpMarketDataProvider HttpProvider()
    {
        var options = Options.Create(new HttpMarketDataOptions
        {
            BaseUrl = _vendor.Url, ApiKey = "pump-test-key", MaxRetries = 0, MinimumThroughput = 1000,
        });
        return new HttpMarketDataProvider(
            _http, ResiliencePipelines.BuildHttpDependency("Market data", options.Value, _time, NullLogger.Instance), options, _time,
            NullLogger<HttpMarketDataProvider>.Instance);
    }
}
