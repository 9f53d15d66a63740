using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;

namespace EventStore.UnitTests.Trading;

/// <summary>
/// Scenario helper: instruments, accounts, positions and orders built by replaying events through the write models'
/// own Apply methods (the public way to get state), with one user trading one symbol at a fixed instant.
/// </summary>
internal static class TradingHistory
{
    public const string Symbol = "ACME";
    public static readonly Guid UserId = Guid.Parse("0197b000-0000-7000-8000-000000000001");
    public static readonly Guid OrderId = Guid.Parse("0197b000-0000-7000-8000-0000000000a1");
    public static readonly Guid OtherOrderId = Guid.Parse("0197b000-0000-7000-8000-0000000000a2");
    public static readonly Guid PastOrderId = Guid.Parse("0197b000-0000-7000-8000-0000000000a3");
    public static readonly Guid FillId = Guid.Parse("0197b000-0000-7000-8000-0000000000f1");
    public static readonly Guid QuoteId = Guid.Parse("0197b000-0000-7000-8000-0000000000c1");
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Earlier = Now.AddHours(-1);

    public static Guid InstrumentId => TradingIds.Instrument(Symbol);
    public static Guid AccountId => TradingIds.AccountOf(UserId);
    public static Guid PositionId => TradingIds.PositionOf(UserId, Symbol);

    /// <summary>Every setting spelled out, so that a change of the defaults does not move the expected amounts.</summary>
    public static TradingOptions Options(decimal feeRate = 0.0005m) => new()
    {
        MaxOrderNotional = 1_000_000m,
        MarketBuyBuffer = 0.05m,
        FixedFee = 0m,
        FeeRate = feeRate,
        MinimumFee = 1m,
        SessionEndUtc = new TimeSpan(21, 0, 0),
        MaxQuoteAge = TimeSpan.FromMinutes(2),
    };

    public static Instrument ListedInstrument(decimal tickSize = 0.01m, decimal lotSize = 1m, params object[] since)
    {
        var instrument = new Instrument();
        instrument.Apply(new InstrumentListed(InstrumentId, Symbol, "Acme Corp.", "USD", tickSize, lotSize, 100.00m, Earlier));
        foreach (var e in since)
        {
            switch (e)
            {
                case InstrumentUpdated x: instrument.Apply(x); break;
                case InstrumentHalted x: instrument.Apply(x); break;
                case InstrumentResumed x: instrument.Apply(x); break;
                default: throw new ArgumentException($"Not an instrument event: {e.GetType().Name}", nameof(since));
            }
        }

        return instrument;
    }

    /// <summary>A fresh quote (one second old) unless an age is given.</summary>
    public static QuoteSnapshot Quote(decimal bid = 99.90m, decimal ask = 100.10m, decimal size = 1000m, TimeSpan? age = null) => new()
    {
        Id = Symbol,
        QuoteId = QuoteId,
        Bid = bid,
        Ask = ask,
        BidSize = size,
        AskSize = size,
        QuotedAt = Now - (age ?? TimeSpan.FromSeconds(1)),
        Source = "test",
    };

    /// <summary>An account opened with one deposit, then whatever happened since.</summary>
    public static CashAccount Account(decimal deposited, params object[] since) => Replay(new CashAccount(),
        [new CashAccountOpened(AccountId, UserId, "USD", Earlier), new CashDeposited(AccountId, deposited, Earlier), .. since]);

    public static CashReserved CashReservedFor(Guid orderId, decimal amount) => new(AccountId, orderId, amount, Earlier);

    /// <summary>A position built by one past buy at the given average cost, then whatever happened since.</summary>
    public static Position Holding(decimal quantity, decimal averageCost, params object[] since) => Replay(new Position(),
        [
            new PositionOpened(PositionId, UserId, Symbol, Earlier),
            new PositionIncreased(PositionId, PastOrderId, Guid.Empty, quantity, averageCost, 0m, quantity, averageCost, Earlier),
            .. since,
        ]);

    public static SharesReserved SharesReservedFor(Guid orderId, decimal quantity) => new(PositionId, orderId, quantity, Earlier);

    public static OrderPlaced Placed(OrderSide side, OrderType type, decimal quantity, decimal? limit = null,
        TimeInForce timeInForce = TimeInForce.Gtc) =>
        new(OrderId, UserId, PersonalDataFixture.Seal(UserId, "client-1"), InstrumentId, Symbol, side, type, quantity, limit, timeInForce, 0m, 0m,
            null, Earlier);

    public static Order PlacedOrder(OrderSide side, OrderType type, decimal quantity, decimal? limit = null,
        TimeInForce timeInForce = TimeInForce.Gtc, params object[] since) =>
        Replay(new Order(), [Placed(side, type, quantity, limit, timeInForce), .. since]);

    /// <summary>A past fill of <see cref="OrderId"/> (for orders that are already partly filled).</summary>
    public static OrderFilled PastFill(OrderSide side, decimal quantity, decimal price, decimal fee, decimal filled, decimal remaining) =>
        new(OrderId, Guid.Empty, UserId, Symbol, side, quantity, price, fee, filled, remaining, QuoteId, Earlier, price, price, Earlier);

    public static Order Replay(Order order, IEnumerable<object> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case OrderPlaced x: order.Apply(x); break;
                case OrderRejected x: order.Apply(x); break;
                case OrderFilled x: order.Apply(x); break;
                case OrderCancelled x: order.Apply(x); break;
                case OrderExpired x: order.Apply(x); break;
                case OrderAmended x: order.Apply(x); break;
                default: throw new ArgumentException($"Not an order event: {e.GetType().Name}", nameof(events));
            }
        }

        return order;
    }

    public static CashAccount Replay(CashAccount account, IEnumerable<object> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case CashAccountOpened x: account.Apply(x); break;
                case CashDeposited x: account.Apply(x); break;
                case CashWithdrawn x: account.Apply(x); break;
                case CashReserved x: account.Apply(x); break;
                case CashReservationReleased x: account.Apply(x); break;
                case BuyFillSettled x: account.Apply(x); break;
                case SellFillSettled x: account.Apply(x); break;
                default: throw new ArgumentException($"Not an account event: {e.GetType().Name}", nameof(events));
            }
        }

        return account;
    }

    public static Position Replay(Position position, IEnumerable<object> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case PositionOpened x: position.Apply(x); break;
                case SharesReserved x: position.Apply(x); break;
                case SharesReservationReleased x: position.Apply(x); break;
                case PositionIncreased x: position.Apply(x); break;
                case PositionDecreased x: position.Apply(x); break;
                default: throw new ArgumentException($"Not a position event: {e.GetType().Name}", nameof(events));
            }
        }

        return position;
    }
}
