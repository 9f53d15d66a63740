using static EventStore.Projections.Analytics.AnalyticsTables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Recomputes the daily rows that a set of fills, messages or AI requests (by pseudonymous key) or days touch, from the
/// fact tables. Whole rows are recomputed, never incremented, so running a statement twice changes nothing.
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

    /// <summary>
    /// Messages per room and day: every posted message counts on the day it was posted, the assistant's replies
    /// included; <c>deleted</c> counts those of them deleted since (on any day), so messages − deleted are still visible.
    /// </summary>
    public const string RecomputeChatMessagesDaily = $"""
        insert into {ChatMessagesDaily} (day, room_key, messages, authors, assistant_replies, assistant_mentions, deleted)
        select m.day, m.room_key, count(*), count(distinct m.author) filter (where m.author <> '{AnalyticsPseudonyms.AssistantAuthor}'),
               count(*) filter (where m.author = '{AnalyticsPseudonyms.AssistantAuthor}'), count(*) filter (where m.mentions_assistant),
               count(d.message_key)
        from {ChatMessages} m left join {ChatMessageDeletions} d on d.message_key = m.message_key
        where (m.day, m.room_key) in (select day, room_key from {ChatMessages} where message_key = any(?))
        group by m.day, m.room_key
        on conflict (day, room_key) do update set messages = excluded.messages, authors = excluded.authors,
          assistant_replies = excluded.assistant_replies, assistant_mentions = excluded.assistant_mentions, deleted = excluded.deleted
        """;

    /// <summary>
    /// AI usage per model and day. Latency percentiles are continuous (interpolated: <c>percentile_cont</c>) over every
    /// request of the day, answered or failed (how long the user waited), rounded to 0.01 ms.
    /// </summary>
    public const string RecomputeAiUsageDaily = $"""
        insert into {AiUsageDaily} (day, model, requests, failures, users, tokens_in, tokens_out, cost, latency_p50_ms, latency_p95_ms)
        select r.day, r.model, count(*), count(*) filter (where r.failed), count(distinct r.trader), sum(r.tokens_in), sum(r.tokens_out),
               sum(r.cost), round((percentile_cont(0.5) within group (order by r.latency_ms))::numeric, 2),
               round((percentile_cont(0.95) within group (order by r.latency_ms))::numeric, 2)
        from {AiRequests} r
        where (r.day, r.model) in (select day, model from {AiRequests} where request_key = any(?))
        group by r.day, r.model
        on conflict (day, model) do update set requests = excluded.requests, failures = excluded.failures, users = excluded.users,
          tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out, cost = excluded.cost,
          latency_p50_ms = excluded.latency_p50_ms, latency_p95_ms = excluded.latency_p95_ms
        """;
}
