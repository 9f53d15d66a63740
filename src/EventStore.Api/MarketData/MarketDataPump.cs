using EventStore.Domain.MarketData;
using EventStore.Domain.Validation;
using Microsoft.Extensions.Options;

namespace EventStore.Api.MarketData;

/// <summary>
/// Every <c>MarketData:TickInterval</c> asks the provider for each quoted symbol and sends <see cref="RecordQuote"/>.
/// Throttle: a quote with the same bid, ask and sizes as the last one sent for its symbol is skipped until
/// <c>MarketData:Heartbeat</c> has passed since that send. Staleness: when a symbol's provider fails,
/// <see cref="MarkQuotesStale"/> is sent once per transition into failure; the next quote after that is recorded
/// whatever the throttle says. A failing send is logged and tried again next tick; nothing stops the loop.
/// </summary>
public sealed class MarketDataPump(
    IServiceScopeFactory scopes,
    IOptions<MarketDataOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<MarketDataPump> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneTickAtATime = new(1, 1);
    private readonly Dictionary<string, SentQuote> _lastSent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stale = new(StringComparer.Ordinal);

    /// <summary>One tick: every symbol once. Public so tests drive the pump without waiting for the timer.</summary>
    public async Task PumpOnceAsync(CancellationToken ct)
    {
        await _oneTickAtATime.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var provider = services.GetRequiredService<IMarketDataProvider>();
            var sink = services.GetRequiredService<IQuoteSink>();
            IReadOnlyList<QuotedSymbol> symbols;
            try
            {
                symbols = await services.GetRequiredService<IQuotedSymbols>().GetAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Market data pump could not list the quoted symbols");
                return;
            }

            foreach (var symbol in symbols)
            {
                await PumpAsync(symbol.Symbol, provider, sink, ct);
            }
        }
        finally
        {
            _oneTickAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            logger.LogInformation("Market data pump disabled (MarketData:Enabled is false)");
            return;
        }

        logger.LogInformation("Market data pump started: provider {Provider}, every {TickInterval}", o.Provider, o.TickInterval);
        using var timer = new PeriodicTimer(o.TickInterval, time);
        try
        {
            // The first tick as soon as the rest of the app (Wolverine, Marten) is up, not one interval later: readiness
            // waits for every instrument's first quote (FirstQuotesReadinessCheck).
            await WhenStartedAsync(stoppingToken);
            var first = true;
            while (first || await timer.WaitForNextTickAsync(stoppingToken))
            {
                first = false;
                try
                {
                    await PumpOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever went wrong (even a stray cancellation), the next tick runs: a dead pump would leave
                    // every quote stale without saying so.
                    logger.LogError(e, "Market data tick failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    public override void Dispose()
    {
        _oneTickAtATime.Dispose();
        base.Dispose();
    }

    private async Task PumpAsync(string symbol, IMarketDataProvider provider, IQuoteSink sink, CancellationToken ct)
    {
        Quote quote;
        try
        {
            quote = await provider.GetQuoteAsync(symbol, ct);
        }
        catch (MarketDataUnavailableException e)
        {
            await MarkStaleOnceAsync(symbol, e.Message, sink, ct);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Market data provider {Provider} failed for {Symbol}", provider.Name, symbol);
            await MarkStaleOnceAsync(symbol, $"provider error: {e.GetType().Name}", sink, ct);
            return;
        }

        var now = time.GetUtcNow();
        var recovering = _stale.Contains(symbol);
        if (!recovering && _lastSent.TryGetValue(symbol, out var last) && last.SameBookAs(quote)
            && now - last.SentAt < options.Value.Heartbeat)
        {
            return;
        }

        try
        {
            await sink.RecordAsync(new RecordQuote(quote), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Recording the quote of {Symbol} failed", symbol);
            return;
        }

        _lastSent[symbol] = new SentQuote(quote, now);
        if (_stale.Remove(symbol))
        {
            logger.LogInformation("Market data for {Symbol} recovered", symbol);
        }
    }

    private async Task MarkStaleOnceAsync(string symbol, string reason, IQuoteSink sink, CancellationToken ct)
    {
        if (_stale.Contains(symbol))
        {
            return;
        }

        try
        {
            // The reason is the provider's error text (from outside): scrubbed, not refused, or the symbol never went stale.
            await sink.MarkStaleAsync(new MarkQuotesStale(symbol,
                TextHygiene.Scrub(reason, TextRule.SingleLine(MarkQuotesStale.ReasonMaxLength)), time.GetUtcNow()), ct);
            _stale.Add(symbol);
            logger.LogWarning("Quotes of {Symbol} are stale: {Reason}", symbol, reason);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not marked: the next failing tick tries again, so the transition is not lost.
            logger.LogError(e, "Marking the quotes of {Symbol} stale failed", symbol);
        }
    }

    private sealed record SentQuote(Quote Quote, DateTimeOffset SentAt)
    {
        public bool SameBookAs(Quote other) =>
            Quote.Bid == other.Bid && Quote.Ask == other.Ask
            && Quote.BidSize == other.BidSize && Quote.AskSize == other.AskSize;
    }
}
