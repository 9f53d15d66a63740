using EventStore.Domain;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Orders;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Projections.Trading;

/// <summary>Every read of the Trading read models (orders, fills, portfolio, instruments, quotes), for the GraphQL fields, the
/// live feed and the assistant's tools alike.</summary>
public static class TradingQueries
{
    public static Task<QuoteSnapshot?> QuoteAsync(IQuerySession session, string symbol, CancellationToken ct) =>
        session.LoadAsync<QuoteSnapshot>(symbol.ToUpperInvariant(), ct);

    /// <summary>The latest quotes of many symbols in one round trip.</summary>
    public static async Task<IReadOnlyDictionary<string, QuoteSnapshot>> QuotesAsync(IQuerySession session,
        IReadOnlyCollection<string> symbols, CancellationToken ct)
    {
        var keys = symbols.Select(s => s.ToUpperInvariant()).Distinct().ToArray();
        var quotes = keys.Length == 0 ? [] : await session.LoadManyAsync<QuoteSnapshot>(ct, keys);
        return quotes.ToDictionary(q => q.Id, StringComparer.Ordinal);
    }

    /// <summary>Whose position a position stream is (its inline snapshot, one row).</summary>
    public static async Task<Guid?> PositionOwnerAsync(IQuerySession session, Guid positionId, CancellationToken ct) =>
        (await session.LoadAsync<EventStore.Domain.Trading.Positions.Position>(positionId, ct))?.UserId;

    public static Task<InstrumentView?> InstrumentAsync(IQuerySession session, string symbol, CancellationToken ct) =>
        session.LoadAsync<InstrumentView>(TradingIds.Instrument(symbol), ct);

    public static async Task<IReadOnlyList<InstrumentView>> InstrumentsAsync(IQuerySession session, CancellationToken ct) =>
        await session.Query<InstrumentView>().OrderBy(x => x.Symbol).ToListAsync(ct);

    /// <summary>An order as of one of its events (what a live update shows).</summary>
    public static async Task<OrderView> OrderAsOfAsync(IQuerySession session, Guid orderId, long version, CancellationToken ct) =>
        await session.Events.AggregateStreamAsync<OrderView>(orderId, version, token: ct) ?? new OrderView();

    /// <summary>
    /// The order as of its latest event: the projection row when it has caught up with the order's inline snapshot (written
    /// in the command's own transaction), else aggregated live (read-your-writes). Owners and admins only, else NOT_FOUND.
    /// </summary>
    public static async Task<OrderView> OrderAsync(IQuerySession session, Guid id, Guid viewer, bool isAdmin, CancellationToken ct,
        bool live = false)
    {
        var view = live ? null : await session.LoadAsync<OrderView>(id, ct);
        if (view is not null && (await session.LoadAsync<Order>(id, ct))?.Version > view.Version)
        {
            view = null;
        }

        view ??= await session.Events.AggregateStreamAsync<OrderView>(id, token: ct);
        if (view is null || view.Id == Guid.Empty || (view.UserId != viewer && !isAdmin))
        {
            throw new NotFoundException("Order not found.");
        }

        return view;
    }

    public sealed record OrderFilter(OrderStatus? Status, string? Symbol, DateTimeOffset? From, DateTimeOffset? To, Guid? UserId);

    public static async Task<(IReadOnlyList<OrderView> Items, bool HasNext)> OrdersAsync(
        IQuerySession session, Guid? owner, OrderFilter filter, OrderSort sort, int first, (DateTimeOffset At, Guid Id)? after, CancellationToken ct)
    {
        IQueryable<OrderView> query = session.Query<OrderView>();
        if (owner is { } user)
        {
            query = query.Where(x => x.UserId == user);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(x => x.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(filter.Symbol))
        {
            var symbol = filter.Symbol.Trim().ToUpperInvariant();
            query = query.Where(x => x.Symbol == symbol);
        }

        if (filter.From is { } from)
        {
            query = query.Where(x => x.PlacedAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(x => x.PlacedAt < to);
        }

        if (after is var (at, id))
        {
            query = sort == OrderSort.PlacedAtAsc
                ? query.Where(x => x.MatchesSql("(d.placed_at, d.id) > (?, ?)", at, id))
                : query.Where(x => x.MatchesSql("(d.placed_at, d.id) < (?, ?)", at, id));
        }

        // Read-your-writes for one owner's orders: those changed after the projection's position replace their rows.
        var fresh = owner is { } ownerId ? await UnprojectedOrdersAsync(session, ownerId, ct) : [];
        query = sort == OrderSort.PlacedAtAsc
            ? query.OrderBy(x => x.PlacedAt).ThenBy(x => x.Id)
            : query.OrderByDescending(x => x.PlacedAt).ThenByDescending(x => x.Id);
        var rows = await query.Take(first + 1 + fresh.Count).ToListAsync(ct);
        if (fresh.Count > 0)
        {
            var cursor = after;
            var replaced = fresh.Select(x => x.Id).ToHashSet();
            var merged = rows.Where(x => !replaced.Contains(x.Id))
                .Concat(fresh.Where(x => Matches(x, filter, sort, cursor)));
            rows = (sort == OrderSort.PlacedAtAsc
                ? merged.OrderBy(x => x.PlacedAt).ThenBy(x => x.Id)
                : merged.OrderByDescending(x => x.PlacedAt).ThenByDescending(x => x.Id)).Take(first + 1).ToList();
        }

        return (rows.Take(first).ToList(), rows.Count > first);
    }

    /// <summary>
    /// The owner's orders with events past the OrderView projection's position, aggregated live: what a query right
    /// after the owner's own command must show although the async row has not caught up. The events past the position
    /// are the projection's lag (an index range on the sequence), so the cost follows the lag, not the owner's history.
    /// </summary>
    public static async Task<IReadOnlyList<OrderView>> UnprojectedOrdersAsync(IQuerySession session, Guid owner, CancellationToken ct)
    {
        var options = session.DocumentStore.Options;
        var schema = options.Events.DatabaseSchemaName;
        var orders = options.FindOrResolveDocumentType(typeof(Order)).TableName.QualifiedName;
        var sql = $"""
            select distinct e.stream_id from {schema}.mt_events e
            join {orders} o on o.id = e.stream_id
            where e.seq_id > (select coalesce(min(last_seq_id), 0) from {schema}.mt_event_progression where starts_with(name, 'OrderView:'))
              and CAST(o.data ->> 'UserId' as uuid) = ?
            """;
        var ids = await session.QueryAsync<Guid>(sql, ct, owner);
        var views = new List<OrderView>(ids.Count);
        foreach (var id in ids)
        {
            if (await session.Events.AggregateStreamAsync<OrderView>(id, token: ct) is { Id: var found } view && found != Guid.Empty)
            {
                views.Add(view);
            }
        }

        return views;
    }

    private static bool Matches(OrderView x, OrderFilter filter, OrderSort sort, (DateTimeOffset At, Guid Id)? after) =>
        (filter.Status is not { } status || x.Status == status)
        && (string.IsNullOrWhiteSpace(filter.Symbol) || string.Equals(x.Symbol, filter.Symbol.Trim(), StringComparison.OrdinalIgnoreCase))
        && (filter.From is not { } from || x.PlacedAt >= from)
        && (filter.To is not { } to || x.PlacedAt < to)
        && (after is not { } cursor || (sort == OrderSort.PlacedAtAsc
            ? (x.PlacedAt, x.Id).CompareTo((cursor.At, cursor.Id)) > 0
            : (x.PlacedAt, x.Id).CompareTo((cursor.At, cursor.Id)) < 0));

    public static async Task<(IReadOnlyList<FillView> Items, bool HasNext)> FillsAsync(
        IQuerySession session, Guid? owner, string? symbol, int first, (DateTimeOffset At, Guid Id)? after, CancellationToken ct)
    {
        IQueryable<FillView> query = session.Query<FillView>();
        if (owner is { } user)
        {
            query = query.Where(x => x.UserId == user);
        }

        if (!string.IsNullOrWhiteSpace(symbol))
        {
            var s = symbol.Trim().ToUpperInvariant();
            query = query.Where(x => x.Symbol == s);
        }

        if (after is var (at, id))
        {
            query = query.Where(x => x.MatchesSql("(d.filled_at, d.id) < (?, ?)", at, id));
        }

        var rows = await query.OrderByDescending(x => x.FilledAt).ThenByDescending(x => x.Id).Take(first + 1).ToListAsync(ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    public static async Task<Portfolio> PortfolioAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        // Read-your-writes for cash and positions, not the async projections' rows, so a question or query right after a
        // deposit or a fill sees it (docs/trading.md#read-your-writes): the account's snapshot with the events appended
        // since the daemon wrote it (the row's version on), and the positions' inline snapshots, written in the same
        // transaction as their events. One row each plus the account's few newest events, whatever the streams' length.
        var account = await EventStore.Domain.Trading.Accounts.CashAccountReads.LatestAsync(session, TradingIds.AccountOf(userId), ct);
        var positions = await session.Query<EventStore.Domain.Trading.Positions.Position>().Where(x => x.UserId == userId)
            .OrderBy(x => x.Symbol).ToListAsync(ct);
        var symbols = positions.Select(p => p.Symbol).ToArray();
        var quotes = symbols.Length == 0
            ? []
            : (await session.LoadManyAsync<QuoteSnapshot>(ct, symbols)).ToDictionary(q => q.Id);

        var rows = positions.Where(p => p.Quantity != 0 || p.RealizedPnl != 0).Select(p =>
        {
            var mark = quotes.TryGetValue(p.Symbol, out var q) ? q.Bid : (decimal?)null;
            return new PortfolioPosition(p.Symbol, p.Quantity, p.AverageCost, mark,
                mark is { } m ? Money.Cash(p.Quantity * m) : null,
                mark is { } n ? Money.Cash(p.Quantity * (n - p.AverageCost)) : null,
                p.RealizedPnl);
        }).ToList();

        var cash = account?.Balance ?? 0;
        var reserved = account?.Reserved ?? 0;
        return new Portfolio(cash, reserved, cash - reserved, rows.Sum(p => p.RealizedPnl), rows.Sum(p => p.UnrealizedPnl ?? 0),
            rows.Sum(p => p.MarketValue ?? Money.Cash(p.Quantity * p.AverageCost)), rows);
    }
}

/// <summary>The order of an order list: newest placed first (the default) or oldest first.</summary>
public enum OrderSort
{
    PlacedAtDesc,
    PlacedAtAsc,
}

/// <summary>A user's cash and positions as of the latest committed event, valued at the latest bids.</summary>
public sealed record Portfolio(
    decimal Cash, decimal ReservedCash, decimal AvailableCash, decimal RealizedPnl, decimal UnrealizedPnl, decimal MarketValue,
    IReadOnlyList<PortfolioPosition> Positions);

public sealed record PortfolioPosition(
    string Symbol, decimal Quantity, decimal AverageCost, decimal? MarketPrice, decimal? MarketValue, decimal? UnrealizedPnl,
    decimal RealizedPnl);
