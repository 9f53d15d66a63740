using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using EventStore.Projections.Trading;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>The cash and position read models do the write models' arithmetic on the same events.</summary>
public sealed class PortfolioProjectionTests
{
    /// <summary>
    /// Deposit, a limit buy filled in two parts, an IOC market buy partly filled, a sell amended down then filled, a
    /// market sell of the rest, a withdrawal, a resting buy and a cancelled one (amounts worked out in the asserts).
    /// </summary>
    internal static TradingDesk TradingDay()
    {
        var desk = new TradingDesk();
        desk.Deposit(10_000m);
        var a = desk.Place(OrderSide.Buy, OrderType.Limit, 20, 101.00m, TimeInForce.Gtc, Quote(bid: 99.90m, ask: 100.10m, size: 8));
        desk.Match(a, Quote(bid: 100.40m, ask: 100.60m, size: 100));
        desk.Place(OrderSide.Buy, OrderType.Market, 10, null, TimeInForce.Ioc, Quote(bid: 100.00m, ask: 100.20m, size: 4));
        var c = desk.Place(OrderSide.Sell, OrderType.Limit, 15, 101.50m, TimeInForce.Gtc, Quote(bid: 101.00m, ask: 101.20m));
        desk.Amend(c, 10, null);
        desk.Match(c, Quote(bid: 101.60m, ask: 101.80m, size: 100));
        desk.Place(OrderSide.Sell, OrderType.Market, 14, null, TimeInForce.Day, Quote(bid: 101.00m, ask: 101.20m));
        desk.Withdraw(500m);
        desk.Place(OrderSide.Buy, OrderType.Limit, 5, 90.00m, TimeInForce.Gtc, Quote(bid: 101.00m, ask: 101.20m));
        var f = desk.Place(OrderSide.Buy, OrderType.Limit, 3, 95.00m, TimeInForce.Day, Quote(bid: 101.00m, ask: 101.20m));
        desk.Cancel(f);
        return desk;
    }

    private static void Project(CashAccountView view, object e)
    {
        switch (e)
        {
            case CashDeposited x: CashAccountViewProjection.Apply(x, view); break;
            case CashWithdrawn x: CashAccountViewProjection.Apply(x, view); break;
            case CashReserved x: CashAccountViewProjection.Apply(x, view); break;
            case CashReservationReleased x: CashAccountViewProjection.Apply(x, view); break;
            case BuyFillSettled x: CashAccountViewProjection.Apply(x, view); break;
            case SellFillSettled x: CashAccountViewProjection.Apply(x, view); break;
            default: throw new ArgumentException($"Not projected: {e.GetType().Name}", nameof(e));
        }
    }

    private static void Project(PositionView view, object e)
    {
        switch (e)
        {
            case PositionIncreased x: PositionViewProjection.Apply(x, view); break;
            case PositionDecreased x: PositionViewProjection.Apply(x, view); break;
            case SharesReserved or SharesReservationReleased: break; // the view shows holdings, not reservations
            default: throw new ArgumentException($"Not projected: {e.GetType().Name}", nameof(e));
        }
    }

    [Fact]
    public void the_cash_account_view_matches_the_write_model_after_every_event()
    {
        var desk = TradingDay();
        var account = new CashAccount();
        var view = CashAccountViewProjection.Create(Assert.IsType<CashAccountOpened>(desk.AccountEvents[0]));
        Replay(account, [desk.AccountEvents[0]]);

        foreach (var e in desk.AccountEvents.Skip(1))
        {
            Replay(account, [e]);
            Project(view, e);
            Assert.Equal((account.Balance, account.Reserved), (view.Balance, view.ReservedCash));
            Assert.Equal(account.Reservations.OrderBy(r => r.Key), view.Reservations.OrderBy(r => r.Key));
        }

        // 10,000 − 801.80 − 1,208.20 − 401.80 + 1,015.00 + 1,413.00 − 500; only the resting 5 @ 90 (+ fee 1) stays reserved.
        Assert.Equal((AccountId, UserId, "USD"), (view.Id, view.UserId, view.Currency));
        Assert.Equal((9516.20m, 451.00m), (view.Balance, view.ReservedCash));
        Assert.Single(view.Reservations);
    }

    [Fact]
    public void the_position_view_matches_the_write_model_after_every_event()
    {
        var desk = TradingDay();
        var position = new Position();
        var view = PositionViewProjection.Create(Assert.IsType<PositionOpened>(desk.PositionEvents[0]));
        Replay(position, [desk.PositionEvents[0]]);
        var averages = new List<decimal>();

        foreach (var e in desk.PositionEvents.Skip(1))
        {
            Replay(position, [e]);
            Project(view, e);
            Assert.Equal((position.Quantity, position.AverageCost, position.RealizedPnl), (view.Quantity, view.AverageCost, view.RealizedPnl));
            averages.Add(view.AverageCost);
        }

        // 8 @ 100.10 + 1 → 100.225; + 12 @ 100.60 + 1 → 100.5; + 4 @ 100.20 + 1 → 2,411.80 / 24; sold out → 0.
        Assert.Equal([100.225m, 100.5m, 100.49166667m, 0m], averages.Distinct());
        // 10 × (101.60 − 100.49166667) − 1 = 10.08; 14 × (101.00 − 100.49166667) − 1 = 6.12
        Assert.Equal((PositionId, UserId, Symbol, 0m, 16.20m, Now),
            (view.Id, view.UserId, view.Symbol, view.Quantity, view.RealizedPnl, view.UpdatedAt));
    }

    [Fact]
    public void the_position_view_keeps_the_average_cost_on_a_partial_sale_and_resets_it_when_sold_out()
    {
        var view = PositionViewProjection.Create(new PositionOpened(PositionId, UserId, Symbol, Earlier));
        PositionViewProjection.Apply(new PositionIncreased(PositionId, OrderId, FillId, 20, 100m, 2m, 20, 100.1m, Earlier), view);
        PositionViewProjection.Apply(new PositionDecreased(PositionId, OrderId, FillId, 5, 101m, 1m, 3.5m, 15, Now), view);

        Assert.Equal((15m, 100.1m, 3.5m, Now), (view.Quantity, view.AverageCost, view.RealizedPnl, view.UpdatedAt));

        PositionViewProjection.Apply(new PositionDecreased(PositionId, OrderId, FillId, 15, 99m, 1m, -17.5m, 0, Now), view);

        Assert.Equal((0m, 0m, -14m), (view.Quantity, view.AverageCost, view.RealizedPnl));
    }

    [Fact]
    public void the_cash_view_drops_a_reservation_that_a_fill_or_a_release_used_up()
    {
        var view = CashAccountViewProjection.Create(new CashAccountOpened(AccountId, UserId, "USD", Earlier));
        CashAccountViewProjection.Apply(new CashDeposited(AccountId, 2000m, Earlier), view);
        CashAccountViewProjection.Apply(new CashReserved(AccountId, OrderId, 1052.05m, Earlier), view);
        CashAccountViewProjection.Apply(new CashReserved(AccountId, OtherOrderId, 100m, Earlier), view);
        CashAccountViewProjection.Apply(new BuyFillSettled(AccountId, OrderId, FillId, 1101m, Now), view);
        CashAccountViewProjection.Apply(new CashReservationReleased(AccountId, OtherOrderId, 40m, Now), view);

        Assert.Equal((899m, 60m), (view.Balance, view.ReservedCash));
        Assert.Equal([OtherOrderId], view.Reservations.Keys);
    }
}
