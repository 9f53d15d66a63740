using EventStore.Domain.MarketData;
using Marten;

namespace EventStore.Domain.Trading.Orders;

/// <summary>The pump lost a symbol's provider (<see cref="MarketData.MarkQuotesStale"/>): its latest quote can no longer fill market orders.</summary>
public static class MarkQuotesStaleHandler
{
    public static async Task Handle(MarkQuotesStale command, IDocumentSession session, CancellationToken ct)
    {
        var snapshot = await session.LoadAsync<QuoteSnapshot>(command.Symbol, ct);
        if (Decide(snapshot, command) is { } stale)
        {
            snapshot!.Stale = true;
            snapshot.StaleReason = stale.Reason;
            session.Store(snapshot);
            session.Events.Append(TradingIds.QuotesOf(command.Symbol), stale);
        }
    }

    /// <summary>Null when there is no quote yet or it is already stale: recorded once per outage.</summary>
    public static QuotesWentStale? Decide(QuoteSnapshot? snapshot, MarkQuotesStale command) =>
        snapshot is null || snapshot.Stale
            ? null
            : new QuotesWentStale(TradingIds.Instrument(command.Symbol), command.Symbol, command.Reason, command.At);
}
