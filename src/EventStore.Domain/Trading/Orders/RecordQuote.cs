using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Instruments;
using Marten;
using Wolverine;

namespace EventStore.Domain.Trading.Orders;

/// <summary>
/// The simulated broker's input (the command is the market-data pump's, <see cref="MarketData.RecordQuote"/>): every
/// kept quote is appended to the symbol's quote stream, becomes the latest quote, and fans out one MatchOrder per open
/// order it could execute.
/// </summary>
public static class RecordQuoteHandler
{
    public static async Task<OutgoingMessages> Handle(RecordQuote command, IDocumentSession session, CancellationToken ct)
    {
        var instrument = await session.Events.FetchLatest<Instrument>(TradingIds.Instrument(command.Quote.Symbol), ct);
        var received = Decide(instrument, command, Guid.CreateVersion7());
        session.Events.Append(TradingIds.QuotesOf(received.Symbol), received);
        var snapshot = QuoteSnapshot.From(received);
        session.Store(snapshot);

        // A halted instrument executes nothing: its open orders are not even read.
        var open = instrument!.Tradable
            ? await session.Query<OpenOrder>().Where(x => x.Symbol == instrument.Symbol).ToListAsync(ct)
            : [];
        var messages = new OutgoingMessages();
        messages.AddRange(Matches(instrument, snapshot, open));
        return messages;
    }

    /// <summary>The quote as recorded, under the listed symbol; an unknown symbol is NOT_FOUND.</summary>
    public static QuoteReceived Decide(Instrument? instrument, RecordQuote command, Guid quoteId)
    {
        var quote = command.Quote;
        if (instrument is null)
        {
            throw new NotFoundException($"Unknown instrument '{quote.Symbol}'.");
        }

        return new QuoteReceived(quoteId, instrument.Id, instrument.Symbol, quote.Bid, quote.Ask, quote.BidSize, quote.AskSize,
            quote.QuotedAt, quote.Source);
    }

    /// <summary>One MatchOrder per open order the quote crosses, in order id order; none while the instrument is halted.</summary>
    public static IReadOnlyList<MatchOrder> Matches(Instrument instrument, QuoteSnapshot quote, IEnumerable<OpenOrder> open) =>
        instrument.Tradable
            ? open.Where(o => o.CrossedBy(quote.Bid, quote.Ask)).OrderBy(o => o.Id)
                .Select(o => new MatchOrder(o.Id, quote, instrument.LotSize)).ToList()
            : [];
}
