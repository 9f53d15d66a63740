namespace EventStore.Domain.Trading.Orders;

public enum OrderSide
{
    Buy,
    Sell,
}

public enum OrderType
{
    Market,
    Limit,
}

public enum TimeInForce
{
    /// <summary>Good for the day: expires at the session end (Trading:SessionEndUtc).</summary>
    Day,

    /// <summary>Good till cancelled.</summary>
    Gtc,

    /// <summary>Immediate or cancel: executes against the current quote, the remainder is cancelled at once.</summary>
    Ioc,
}

public enum OrderStatus
{
    Open,
    PartiallyFilled,
    Filled,
    Cancelled,
    Expired,
    Rejected,
}

/// <summary>Why a pre-trade check refused an order (recorded in OrderRejected and returned as extensions.reason).</summary>
public enum RejectionReason
{
    InstrumentNotTradable,
    QuoteUnavailable,
    QuoteStale,
    TickSize,
    LotSize,
    MaxNotional,
    InsufficientBuyingPower,
    InsufficientShares,
}
