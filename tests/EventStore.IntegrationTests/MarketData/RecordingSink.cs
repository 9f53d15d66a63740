using EventStore.Api.MarketData;
using EventStore.Domain.MarketData;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.MarketData;

/// <summary>The pump's outlet (in the app: the Trading module's handlers); keeps what it was sent, can fail on demand.</summary>
internal sealed class RecordingSink : IQuoteSink
{
    private readonly Lock _gate = new();
    private readonly List<RecordQuote> _recorded = [];
    private readonly List<MarkQuotesStale> _markedStale = [];
    private readonly Signal _quoteRecorded = new();

    public int RecordFailures { get; set; }

    public int StaleFailures { get; set; }

    public IReadOnlyList<Quote> Recorded
    {
        get
        {
            lock (_gate)
            {
                return _recorded.Select(r => r.Quote).ToList();
            }
        }
    }

    public IReadOnlyList<MarkQuotesStale> MarkedStale
    {
        get
        {
            lock (_gate)
            {
                return [.. _markedStale];
            }
        }
    }

    public Task RecordAsync(RecordQuote command, CancellationToken ct)
    {
        lock (_gate)
        {
            if (RecordFailures > 0)
            {
                RecordFailures--;
                throw new InvalidOperationException("the handler failed");
            }

            _recorded.Add(command);
        }

        _quoteRecorded.Raise();
        return Task.CompletedTask;
    }

    /// <summary>Until <paramref name="count"/> quotes have been recorded (10 s at most), woken by each one.</summary>
    public Task WaitForRecordedAsync(int count) =>
        _quoteRecorded.WaitUntilAsync(() => Recorded.Count >= count, TimeSpan.FromSeconds(10),
            () => $"The pump did not tick: {Recorded.Count} of {count} quotes recorded.");

    public Task MarkStaleAsync(MarkQuotesStale command, CancellationToken ct)
    {
        lock (_gate)
        {
            if (StaleFailures > 0)
            {
                StaleFailures--;
                throw new InvalidOperationException("the handler failed");
            }

            _markedStale.Add(command);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The Trading module's list of quoted symbols, as a plain list.</summary>
internal sealed class SymbolList(params QuotedSymbol[] symbols) : IQuotedSymbols
{
    public Task<IReadOnlyList<QuotedSymbol>> GetAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<QuotedSymbol>>(symbols);
}
