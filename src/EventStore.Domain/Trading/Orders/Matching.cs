using EventStore.Domain.Auditing;
using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventStore.Domain.Trading.Orders;

/// <summary>Try to execute one open order against one quote (its own transaction, retried on concurrency conflicts).</summary>
[Actor(SystemActors.Broker)]
public sealed record MatchOrder(Guid OrderId, QuoteSnapshot Quote, decimal LotSize);

/// <summary>
/// The simulated broker's inputs: every kept quote is appended to the symbol's quote stream, becomes the latest quote,
/// and fans out one MatchOrder per open order it could execute.
/// </summary>
public static class QuoteHandler
{
    public static async Task<OutgoingMessages> Handle(RecordQuote command, IDocumentSession session, CancellationToken ct)
    {
        var quote = command.Quote;
        var instrument = await session.Events.FetchLatest<Instruments.Instrument>(TradingIds.Instrument(quote.Symbol), ct)
            ?? throw new NotFoundException($"Unknown instrument '{quote.Symbol}'.");
        var received = new QuoteReceived(Guid.CreateVersion7(), instrument.Id, instrument.Symbol, quote.Bid, quote.Ask,
            quote.BidSize, quote.AskSize, quote.QuotedAt, quote.Source);
        session.Events.Append(TradingIds.QuotesOf(instrument.Symbol), received);
        var snapshot = QuoteSnapshot.From(received);
        session.Store(snapshot);

        var messages = new OutgoingMessages();
        if (!instrument.Tradable)
        {
            return messages;
        }

        var open = await session.Query<OpenOrder>().Where(x => x.Symbol == instrument.Symbol).ToListAsync(ct);
        foreach (var order in open.Where(o => o.CrossedBy(quote.Bid, quote.Ask)).OrderBy(o => o.Id))
        {
            messages.Add(new MatchOrder(order.Id, snapshot, instrument.LotSize));
        }

        return messages;
    }

    public static async Task Handle(MarkQuotesStale command, IDocumentSession session, CancellationToken ct)
    {
        var snapshot = await session.LoadAsync<QuoteSnapshot>(command.Symbol, ct);
        if (snapshot is null || snapshot.Stale)
        {
            return;
        }

        snapshot.Stale = true;
        snapshot.StaleReason = command.Reason;
        session.Store(snapshot);
        session.Events.Append(TradingIds.QuotesOf(command.Symbol),
            new QuotesWentStale(TradingIds.Instrument(command.Symbol), command.Symbol, command.Reason, command.At));
    }
}

public static class MatchOrderHandler
{
    public static async Task Handle(MatchOrder command, IDocumentSession session, IOptions<TradingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var order = await session.Events.FetchForWriting<Order>(command.OrderId, ct);
        if (order.Aggregate is not { IsOpen: true } open)
        {
            return;
        }

        var account = await session.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(open.UserId), ct);
        var position = await session.Events.FetchForWriting<Position>(TradingIds.PositionOf(open.UserId, open.Symbol), ct);
        var events = Execution.Execute(open, command.Quote, account.Aggregate, position.Aggregate, command.LotSize,
            options.Value, Guid.CreateVersion7(), clock.GetUtcNow());
        new OrderBook(open.Copy(), order, account, position).Append(events);
    }
}
