using System.Globalization;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>
/// Scenario helper: runs one user's orders through the real deciders (risk check, execution, amend, cancel) the way
/// the handlers chain them, and keeps every event per stream, so read models can be compared with the write models
/// over the same history. Ids are numbered, not random, so a run is reproducible.
/// </summary>
internal sealed class TradingDesk
{
    private readonly TradingOptions _options = Options();
    private readonly Instrument _instrument = ListedInstrument();
    private readonly Dictionary<Guid, Order> _orders = [];
    private int _fills;

    public CashAccount? Account { get; private set; }
    public Position? Position { get; private set; }
    public List<object> AccountEvents { get; } = [];
    public List<object> PositionEvents { get; } = [];
    public Dictionary<Guid, List<object>> OrderEvents { get; } = [];

    public Order OrderOf(Guid orderId) => _orders[orderId];

    public void Deposit(decimal amount) =>
        RecordAccount(DepositHandler.Decide(Account, new Deposit(UserId, amount), Now));

    public void Withdraw(decimal amount) =>
        RecordAccount(WithdrawHandler.Decide(Account, new Withdraw(UserId, amount), Now));

    /// <summary>Risk check, reservation, then execution against the quote, as PlaceOrderHandler does.</summary>
    public Guid Place(OrderSide side, OrderType type, decimal quantity, decimal? limit, TimeInForce timeInForce, QuoteSnapshot quote)
    {
        var number = _orders.Count + 1;
        var id = Guid.Parse($"0197b000-0000-7000-8000-{number:D12}", CultureInfo.InvariantCulture);
        var command = new PlaceOrder(id, UserId, $"c-{number}", Symbol, side, type, quantity, limit, timeInForce);
        var verdict = PreTradeRisk.Check(command, _instrument, quote, Account, Position, _options, Now);
        Assert.True(verdict.Accepted, verdict.Detail);

        var placed = new OrderPlaced(id, UserId, PersonalDataFixture.Seal(UserId, command.ClientOrderId), _instrument.Id, Symbol, side, type, quantity, limit,
            timeInForce, verdict.ReservedCash, verdict.ReservedShares, null, Now);
        _orders[id] = Replay(new Order(), [placed]);
        OrderEvents[id] = [placed];
        var reservation = TradeEvents.Empty();
        if (verdict.ReservedCash > 0)
        {
            reservation.Account.Add(new CashReserved(AccountId, id, verdict.ReservedCash, Now));
        }

        if (verdict.ReservedShares > 0)
        {
            reservation.Position.Add(new SharesReserved(PositionId, id, verdict.ReservedShares, Now));
        }

        Record(id, reservation);
        Match(id, quote);
        return id;
    }

    public void Match(Guid orderId, QuoteSnapshot quote)
    {
        var fillId = Guid.Parse($"0197b000-0000-7000-8000-f{++_fills:D11}", CultureInfo.InvariantCulture);
        Record(orderId, Execution.Execute(_orders[orderId], quote, Account, Position, _instrument.LotSize, _options, fillId, Now));
    }

    public void Amend(Guid orderId, decimal? quantity, decimal? limit) =>
        Record(orderId, AmendOrderHandler.Decide(_orders[orderId], new AmendOrder(orderId, UserId, quantity, limit, null), Account, Position,
            _instrument, _options, Now));

    public void Cancel(Guid orderId) =>
        Record(orderId, CancelOrderHandler.Decide(_orders[orderId], Account, Position, new CancelOrder(orderId, UserId, null), Now));

    private void Record(Guid orderId, TradeEvents events)
    {
        OrderEvents[orderId].AddRange(events.Order);
        Replay(_orders[orderId], events.Order);
        RecordAccount(events.Account);
        foreach (var e in events.Position)
        {
            Position = Replay(Position ?? new Position(), [e]);
            PositionEvents.Add(e);
        }
    }

    private void RecordAccount(IEnumerable<object> events)
    {
        foreach (var e in events)
        {
            Account = Replay(Account ?? new CashAccount(), [e]);
            AccountEvents.Add(e);
        }
    }
}
