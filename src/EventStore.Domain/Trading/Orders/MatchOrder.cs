using EventStore.Domain.Auditing;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using Marten;
using Microsoft.Extensions.Options;

namespace EventStore.Domain.Trading.Orders;

/// <summary>Try to execute one open order against one quote (its own transaction, retried on concurrency conflicts).</summary>
[Actor(SystemActors.Broker)]
public sealed record MatchOrder(Guid OrderId, QuoteSnapshot Quote, decimal LotSize);

public static class MatchOrderHandler
{
    public static async Task Handle(MatchOrder command, IDocumentSession session, IOptions<TradingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        // Null when the order can no longer execute (filled, cancelled or expired since the quote fanned out).
        if (await OrderBook.LoadOpenAsync(session, command.OrderId, ct) is { } book)
        {
            book.Append(Decide(book.Order, book.Account.Aggregate, book.Position.Aggregate, command, options.Value,
                Guid.CreateVersion7(), clock.GetUtcNow()));
        }
    }

    /// <summary>The broker's decision for the order against the quote the message carries (<see cref="Execution"/>).</summary>
    public static TradeEvents Decide(Order order, CashAccount? account, Position? position, MatchOrder command, TradingOptions options,
        Guid fillId, DateTimeOffset now) =>
        Execution.Execute(order, command.Quote, account, position, command.LotSize, options, fillId, now);
}
