using static EventStore.Projections.Analytics.AnalyticsTables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Recomputes the daily rows that a set of fills (by pseudonymous key) or days touch, from the fact tables. Whole rows
/// are recomputed, never incremented, so running a statement twice changes nothing.
/// </summary>
public static class AnalyticsSql
{
    public const string RecomputeDailyVolume = $"""
        insert into {DailyVolume} (day, symbol, fills, traders, quantity, buy_quantity, sell_quantity, notional, fees)
        select f.day, f.symbol, count(*), count(distinct f.trader), sum(f.quantity),
               coalesce(sum(f.quantity) filter (where f.side = 'Buy'), 0), coalesce(sum(f.quantity) filter (where f.side = 'Sell'), 0),
               sum(f.notional), sum(f.fee)
        from {Fills} f
        where (f.day, f.symbol) in (select day, symbol from {Fills} where fill_key = any(?))
        group by f.day, f.symbol
        on conflict (day, symbol) do update set fills = excluded.fills, traders = excluded.traders, quantity = excluded.quantity,
          buy_quantity = excluded.buy_quantity, sell_quantity = excluded.sell_quantity, notional = excluded.notional,
          fees = excluded.fees
        """;

    public const string RecomputeTraderDailyFills = $"""
        insert into {TraderDailyFills} (day, trader, fills, closing_fills, quantity, notional, fees, realized_pnl)
        select f.day, f.trader, count(*), count(p.fill_key), sum(f.quantity), sum(f.notional), sum(f.fee),
               coalesce(sum(p.realized_pnl), 0)
        from {Fills} f left join {RealizedPnl} p on p.fill_key = f.fill_key
        where (f.day, f.trader) in (select day, trader from {Fills} where fill_key = any(?))
        group by f.day, f.trader
        on conflict (day, trader) do update set fills = excluded.fills, closing_fills = excluded.closing_fills,
          quantity = excluded.quantity, notional = excluded.notional, fees = excluded.fees, realized_pnl = excluded.realized_pnl
        """;

    /// <summary>The distribution over traders of their day's realized P&amp;L (traders who closed something that day).</summary>
    public const string RecomputeRealizedPnlDaily = $"""
        insert into {RealizedPnlDaily} (day, traders, closing_fills, winners, losers, total, minimum, p25, median, p75, maximum)
        select t.day, count(*), sum(t.closing_fills), count(*) filter (where t.realized_pnl > 0),
               count(*) filter (where t.realized_pnl < 0), sum(t.realized_pnl), min(t.realized_pnl),
               percentile_disc(0.25) within group (order by t.realized_pnl),
               percentile_disc(0.5) within group (order by t.realized_pnl),
               percentile_disc(0.75) within group (order by t.realized_pnl), max(t.realized_pnl)
        from {TraderDailyFills} t
        where t.closing_fills > 0 and t.day in (select day from {Fills} where fill_key = any(?))
        group by t.day
        on conflict (day) do update set traders = excluded.traders, closing_fills = excluded.closing_fills,
          winners = excluded.winners, losers = excluded.losers, total = excluded.total, minimum = excluded.minimum,
          p25 = excluded.p25, median = excluded.median, p75 = excluded.p75, maximum = excluded.maximum
        """;

    public const string RecomputeActiveUsers = $"""
        insert into {ActiveUsersDaily} (day, active_users, new_users)
        select a.day, count(*), (select count(*) from {Registrations} r where r.day = a.day)
        from {TraderActivity} a
        where a.day = any(?)
        group by a.day
        on conflict (day) do update set active_users = excluded.active_users, new_users = excluded.new_users
        """;
}
