using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

/// <summary>How the cash account and the position keep their balances and per-order reservations.</summary>
public sealed class ReservationBookkeepingTests
{
    [Fact]
    public void an_opened_account_belongs_to_its_user_and_starts_empty()
    {
        var account = Replay(new CashAccount(), [new CashAccountOpened(AccountId, UserId, "USD", Earlier)]);

        Assert.Equal((AccountId, UserId, 0m, 0m, 0m), (account.Id, account.UserId, account.Balance, account.Reserved, account.Available));
    }

    [Fact]
    public void deposits_and_withdrawals_move_the_balance()
    {
        var account = Account(1000m, new CashDeposited(AccountId, 250.50m, Now), new CashWithdrawn(AccountId, 100.25m, Now));

        Assert.Equal((1150.25m, 1150.25m), (account.Balance, account.Available));
    }

    [Fact]
    public void reservations_add_up_per_order_and_reduce_what_is_available()
    {
        var account = Account(5000m, CashReservedFor(OrderId, 1001m), CashReservedFor(OrderId, 50m), CashReservedFor(OtherOrderId, 200m));

        Assert.Equal((1051m, 200m), (account.ReservedFor(OrderId), account.ReservedFor(OtherOrderId)));
        Assert.Equal((1251m, 3749m, 5000m), (account.Reserved, account.Available, account.Balance));
    }

    [Fact]
    public void a_release_gives_back_part_or_all_of_one_orders_reservation()
    {
        var account = Account(5000m, CashReservedFor(OrderId, 1001m), CashReservedFor(OtherOrderId, 200m),
            new CashReservationReleased(AccountId, OrderId, 400m, Now));

        Assert.Equal(601m, account.ReservedFor(OrderId));
        Replay(account, [new CashReservationReleased(AccountId, OrderId, 601m, Now)]);
        Assert.DoesNotContain(OrderId, account.Reservations.Keys);
        Assert.Equal(200m, account.Reserved);
    }

    [Fact]
    public void a_buy_fill_pays_from_the_balance_and_the_reservation_alike()
    {
        var account = Account(5000m, CashReservedFor(OrderId, 1011m), new BuyFillSettled(AccountId, OrderId, FillId, 401.40m, Now));

        Assert.Equal((4598.60m, 609.60m, 3989.00m), (account.Balance, account.ReservedFor(OrderId), account.Available));
    }

    [Fact]
    public void a_buy_fill_costing_more_than_the_reservation_clears_it_and_takes_the_rest_from_free_cash()
    {
        var account = Account(2000m, CashReservedFor(OrderId, 1052.05m), new BuyFillSettled(AccountId, OrderId, FillId, 1101m, Now));

        Assert.Empty(account.Reservations);
        Assert.Equal((899m, 899m), (account.Balance, account.Available));
    }

    [Fact]
    public void a_sell_fill_adds_its_proceeds_to_the_balance() =>
        Assert.Equal(1998.00m, Account(1000m, new SellFillSettled(AccountId, OrderId, FillId, 998.00m, Now)).Balance);

    [Fact]
    public void an_opened_position_belongs_to_its_user_and_symbol_and_holds_nothing()
    {
        var position = Replay(new Position(), [new PositionOpened(PositionId, UserId, Symbol, Earlier)]);

        Assert.Equal((PositionId, UserId, Symbol, 0m, 0m, 0m),
            (position.Id, position.UserId, position.Symbol, position.Quantity, position.AverageCost, position.Available));
    }

    [Fact]
    public void shares_reserved_by_open_sells_are_not_available()
    {
        var position = Holding(100, 90m, SharesReservedFor(OrderId, 30), SharesReservedFor(OtherOrderId, 20), SharesReservedFor(OrderId, 10));

        Assert.Equal((40m, 20m, 60m, 40m),
            (position.ReservedFor(OrderId), position.ReservedFor(OtherOrderId), position.Reserved, position.Available));
    }

    [Fact]
    public void a_released_or_sold_reservation_leaves_the_book_when_used_up()
    {
        var position = Holding(100, 90m, SharesReservedFor(OrderId, 30), SharesReservedFor(OtherOrderId, 20),
            new SharesReservationReleased(PositionId, OtherOrderId, 20, Now),
            new PositionDecreased(PositionId, OrderId, FillId, 10, 95m, 1m, 49m, 90, Now));

        Assert.Equal((90m, 20m, 70m), (position.Quantity, position.ReservedFor(OrderId), position.Available));
        Assert.DoesNotContain(OtherOrderId, position.Reservations.Keys);
        Assert.Equal(90m, position.AverageCost);
    }

    [Fact]
    public void a_buy_fill_sets_the_new_quantity_and_average_cost()
    {
        var position = Holding(10, 99.5m, new PositionIncreased(PositionId, OrderId, FillId, 10, 100.60m, 1.01m, 20, 100.1005m, Now));

        Assert.Equal((20m, 100.1005m, 0m), (position.Quantity, position.AverageCost, position.RealizedPnl));
    }

    [Fact]
    public void realized_pnl_accumulates_across_sales_and_closing_the_position_resets_its_average_cost()
    {
        var position = Holding(20, 100m,
            new PositionDecreased(PositionId, OrderId, FillId, 10, 101m, 1m, 9m, 10, Now),
            new PositionDecreased(PositionId, OtherOrderId, FillId, 10, 99m, 1m, -11m, 0, Now));

        Assert.Equal((0m, 0m, -2m), (position.Quantity, position.AverageCost, position.RealizedPnl));
    }
}
