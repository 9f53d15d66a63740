using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;

namespace EventStore.Domain.Trading.Orders;

/// <summary>Events a decision appends, by stream.</summary>
public sealed record TradeEvents(List<object> Order, List<object> Account, List<object> Position)
{
    public static TradeEvents Empty() => new([], [], []);

    public bool IsEmpty => Order.Count == 0 && Account.Count == 0 && Position.Count == 0;
}

/// <summary>
/// The simulated broker's decision for one order against one quote (docs/trading.md): market orders at the ask (buy)
/// or bid (sell), limit orders when the quote crosses, partial fills by quote size in whole lots, never more than the
/// buyer can pay; IOC remainders are cancelled at once; reservations are consumed or released exactly.
/// </summary>
public static class Execution
{
    public static TradeEvents Execute(Order order, QuoteSnapshot quote, CashAccount? account, Position? position,
        decimal lotSize, TradingOptions options, Guid fillId, DateTimeOffset now)
    {
        var events = TradeEvents.Empty();
        if (!order.IsOpen)
        {
            return events;
        }

        var buy = order.Side == OrderSide.Buy;
        var price = buy ? quote.Ask : quote.Bid;
        var quantity = quote.IsUsable(now, options.MaxQuoteAge) && order.Accepts(price)
            ? Lots(Math.Min(order.Remaining, buy ? quote.AskSize : quote.BidSize), lotSize)
            : 0m;
        var reservedCash = account?.ReservedFor(order.Id) ?? 0;
        if (buy && quantity > 0)
        {
            quantity = Affordable(quantity, price, reservedCash + Math.Max(0, account?.Available ?? 0), lotSize, options);
        }

        if (quantity > 0)
        {
            Fill(events, order, quote, account, position, quantity, price, options.FeeFor(quantity * price), fillId, now);
        }

        var remaining = order.Remaining - quantity;
        var consumed = buy && quantity > 0 ? quantity * price + options.FeeFor(quantity * price) : 0;
        if (remaining > 0 && order.TimeInForce == TimeInForce.Ioc)
        {
            events.Order.Add(new OrderCancelled(order.Id, remaining, "ioc-remainder", null, now));
            Release(events, order, account, position, reservedCash - consumed, position?.ReservedFor(order.Id) - quantity, now);
        }
        else if (remaining == 0 && buy)
        {
            Release(events, order, account, position, reservedCash - consumed, null, now);
        }

        return events;
    }

    /// <summary>Gives back what <paramref name="order"/> still holds: its cash reservation or its reserved shares.</summary>
    public static void Release(TradeEvents events, Order order, CashAccount? account, Position? position, DateTimeOffset now) =>
        Release(events, order, account, position, account?.ReservedFor(order.Id) ?? 0, position?.ReservedFor(order.Id), now);

    private static void Release(TradeEvents events, Order order, CashAccount? account, Position? position,
        decimal cash, decimal? shares, DateTimeOffset now)
    {
        if (order.Side == OrderSide.Buy && cash > 0 && account is not null)
        {
            events.Account.Add(new CashReservationReleased(account.Id, order.Id, cash, now));
        }

        if (order.Side == OrderSide.Sell && shares > 0 && position is not null)
        {
            events.Position.Add(new SharesReservationReleased(position.Id, order.Id, shares.Value, now));
        }
    }

    private static void Fill(TradeEvents events, Order order, QuoteSnapshot quote, CashAccount? account, Position? position,
        decimal quantity, decimal price, decimal fee, Guid fillId, DateTimeOffset now)
    {
        var positionId = position?.Id is { } id && id != Guid.Empty ? id : TradingIds.PositionOf(order.UserId, order.Symbol);
        events.Order.Add(new OrderFilled(order.Id, fillId, order.UserId, order.Symbol, order.Side, quantity, price, fee,
            order.FilledQuantity + quantity, order.Remaining - quantity, quote.QuoteId, quote.QuotedAt, quote.Bid, quote.Ask, now));

        var held = position?.Quantity ?? 0;
        if (order.Side == OrderSide.Buy)
        {
            if (position is null || position.Id == Guid.Empty)
            {
                events.Position.Add(new PositionOpened(positionId, order.UserId, order.Symbol, now));
            }

            var average = Position.AverageCostAfterBuy(held, position?.AverageCost ?? 0, quantity, price, fee);
            events.Position.Add(new PositionIncreased(positionId, order.Id, fillId, quantity, price, fee, held + quantity, average, now));
            events.Account.Add(new BuyFillSettled(account!.Id, order.Id, fillId, quantity * price + fee, now));
        }
        else
        {
            var pnl = Position.RealizedPnlOfSale(position!.AverageCost, quantity, price, fee);
            events.Position.Add(new PositionDecreased(positionId, order.Id, fillId, quantity, price, fee, pnl, held - quantity, now));
            events.Account.Add(new SellFillSettled(TradingIds.AccountOf(order.UserId), order.Id, fillId, quantity * price - fee, now));
        }
    }

    private static decimal Lots(decimal quantity, decimal lotSize) => Math.Floor(quantity / lotSize) * lotSize;

    private static decimal Affordable(decimal quantity, decimal price, decimal budget, decimal lotSize, TradingOptions options)
    {
        var cap = Lots(Math.Min(quantity, budget / price), lotSize);
        while (cap > 0 && cap * price + options.FeeFor(cap * price) > budget)
        {
            cap -= lotSize;
        }

        return Math.Max(0, cap);
    }
}
