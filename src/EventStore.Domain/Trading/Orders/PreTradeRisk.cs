using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Positions;

namespace EventStore.Domain.Trading.Orders;

/// <summary>What the pre-trade checks decided: a rejection, or what the order must reserve.</summary>
public sealed record RiskVerdict(RejectionReason? Reason, string Detail, decimal ReservedCash, decimal ReservedShares)
{
    public bool Accepted => Reason is null;

    public static RiskVerdict Reject(RejectionReason reason, string detail) => new(reason, detail, 0, 0);
}

/// <summary>The pre-trade risk checks, in the order they run (docs/trading.md). Pure: state and time are inputs.</summary>
public static class PreTradeRisk
{
    public static RiskVerdict Check(PlaceOrder order, Instrument instrument, QuoteSnapshot? quote, CashAccount? account,
        Position? position, TradingOptions options, DateTimeOffset now)
    {
        if (!instrument.Tradable)
        {
            return RiskVerdict.Reject(RejectionReason.InstrumentNotTradable, $"{instrument.Symbol} is halted.");
        }

        if (order.Type == OrderType.Market)
        {
            if (quote is null)
            {
                return RiskVerdict.Reject(RejectionReason.QuoteUnavailable, $"There is no quote for {instrument.Symbol} yet.");
            }

            if (!quote.IsUsable(now, options.MaxQuoteAge))
            {
                return RiskVerdict.Reject(RejectionReason.QuoteStale,
                    $"The quote for {instrument.Symbol} is stale ({quote.StaleReason ?? "too old"}); market orders need a fresh quote.");
            }
        }

        if (order.LimitPrice is { } limit && !Money.IsMultipleOf(limit, instrument.TickSize))
        {
            return RiskVerdict.Reject(RejectionReason.TickSize, $"The limit price must be a multiple of the tick size {instrument.TickSize}.");
        }

        if (!Money.IsMultipleOf(order.Quantity, instrument.LotSize))
        {
            return RiskVerdict.Reject(RejectionReason.LotSize, $"The quantity must be a multiple of the lot size {instrument.LotSize}.");
        }

        var price = order.LimitPrice ?? (order.Side == OrderSide.Buy ? quote!.Ask : quote!.Bid);
        var notional = order.Quantity * price;
        if (notional > options.MaxOrderNotional)
        {
            return RiskVerdict.Reject(RejectionReason.MaxNotional, $"The order notional {notional} exceeds the maximum {options.MaxOrderNotional}.");
        }

        if (order.Side == OrderSide.Sell)
        {
            var available = position?.Available ?? 0;
            return order.Quantity <= available
                ? new RiskVerdict(null, "", 0, order.Quantity)
                : RiskVerdict.Reject(RejectionReason.InsufficientShares,
                    $"Selling {order.Quantity} {instrument.Symbol} needs shares held and not reserved: {available} available (no short selling).");
        }

        var reserve = CashToReserve(order.Type, order.Quantity, price, options);
        var cash = account?.Available ?? 0;
        return reserve <= cash
            ? new RiskVerdict(null, "", reserve, 0)
            : RiskVerdict.Reject(RejectionReason.InsufficientBuyingPower,
                $"This buy needs {reserve} of buying power; {cash} is available.");
    }

    /// <summary>Limit buys reserve quantity × limit + fee; market buys the same over the ask plus the buffer.</summary>
    public static decimal CashToReserve(OrderType type, decimal quantity, decimal price, TradingOptions options)
    {
        var notional = type == OrderType.Market
            ? Money.Cash(quantity * price * (1 + options.MarketBuyBuffer))
            : quantity * price;
        return Money.Cash(notional + options.FeeFor(notional));
    }
}
