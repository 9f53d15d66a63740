using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using EventStore.Domain.Users;
using JasperFx.Events;
using Marten;
using static EventStore.Projections.Analytics.AnalyticsTables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Async projection that fills the trading and activity tables of the `analytics` schema. Per page of events it inserts
/// facts (insert-if-absent, keyed by pseudonymous fill or trader-and-day), then recomputes the daily rows those facts
/// touch from the facts. Idempotent per event and a pure function of the log (business timestamps, keyed pseudonyms),
/// so a rebuild (which empties the tables first) reproduces the same rows.
/// </summary>
public sealed class TradingAnalyticsProjection(AnalyticsPseudonyms pseudonyms) : AnalyticsProjection(ProjectionName, pseudonyms,
    [typeof(UserRegistered), typeof(OrderPlaced), typeof(OrderRejected), typeof(OrderFilled), typeof(PositionDecreased)], TradingTables)
{
    public const string ProjectionName = "TradingAnalytics";

    public override Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var fills = new HashSet<string>(StringComparer.Ordinal);
        var activeDays = new HashSet<DateOnly>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case UserRegistered registered:
                    var trader = Pseudonyms.Trader(registered.UserId);
                    operations.QueueSqlCommand($"insert into {Registrations} (trader, day) values (?, ?) on conflict do nothing",
                        trader, Day(registered.RegisteredAt));
                    Active(operations, activeDays, registered.UserId, registered.RegisteredAt);
                    break;
                case OrderPlaced placed:
                    Active(operations, activeDays, placed.UserId, placed.PlacedAt);
                    break;
                case OrderRejected rejected:
                    Active(operations, activeDays, rejected.UserId, rejected.RejectedAt);
                    break;
                case OrderFilled filled:
                    var key = Pseudonyms.Fill(filled.FillId);
                    operations.QueueSqlCommand(
                        $"""
                        insert into {Fills} (fill_key, trader, symbol, side, day, filled_at, quantity, price, notional, fee)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing
                        """,
                        key, Pseudonyms.Trader(filled.UserId), filled.Symbol, filled.Side.ToString(), Day(filled.FilledAt),
                        filled.FilledAt.ToUniversalTime(), filled.Quantity, filled.Price, filled.Quantity * filled.Price, filled.Fee);
                    Active(operations, activeDays, filled.UserId, filled.FilledAt);
                    fills.Add(key);
                    break;
                case PositionDecreased decreased:
                    var closing = Pseudonyms.Fill(decreased.FillId);
                    operations.QueueSqlCommand($"insert into {RealizedPnl} (fill_key, realized_pnl) values (?, ?) on conflict do nothing",
                        closing, decreased.RealizedPnl);
                    fills.Add(closing);
                    break;
            }
        }

        if (fills.Count > 0)
        {
            var keys = fills.Order(StringComparer.Ordinal).ToArray();
            operations.QueueSqlCommand(AnalyticsSql.RecomputeDailyVolume, [keys]);
            operations.QueueSqlCommand(AnalyticsSql.RecomputeTraderDailyFills, [keys]);
            operations.QueueSqlCommand(AnalyticsSql.RecomputeRealizedPnlDaily, [keys]);
        }

        if (activeDays.Count > 0)
        {
            operations.QueueSqlCommand(AnalyticsSql.RecomputeActiveUsers, [activeDays.Order().ToArray()]);
        }

        return Task.CompletedTask;
    }

    private void Active(IDocumentOperations operations, HashSet<DateOnly> days, Guid userId, DateTimeOffset at)
    {
        operations.QueueSqlCommand($"insert into {TraderActivity} (day, trader) values (?, ?) on conflict do nothing",
            Day(at), Pseudonyms.Trader(userId));
        days.Add(Day(at));
    }

    /// <summary>The UTC calendar day of a business timestamp.</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
