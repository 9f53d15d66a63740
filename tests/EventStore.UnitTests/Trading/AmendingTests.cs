using EventStore.Domain.Trading;
using EventStore.Domain;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

public sealed class AmendingTests
{
    // A limit buy of 10 @ 100.00 reserved 10 × 100 + the minimum fee 1.00.
    private static Order LimitBuy(params object[] since) => PlacedOrder(OrderSide.Buy, OrderType.Limit, 10, 100.00m, since: since);

    private static CashAccount Reserving(decimal deposited = 5000m, params object[] since) =>
        Account(deposited, [CashReservedFor(OrderId, 1001.00m), .. since]);

    private static AmendOrder Amend(decimal? quantity = null, decimal? limit = null) => new(OrderId, UserId, quantity, limit, null);

    private static TradeEvents Decide(Order order, AmendOrder command, CashAccount? account = null, Position? position = null,
        Instrument? instrument = null) =>
        AmendOrderHandler.Decide(order, command, account, position, instrument ?? ListedInstrument(), Options(), Now);

    [Fact]
    public void raising_the_quantity_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => Decide(LimitBuy(), Amend(quantity: 11), Reserving()));

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public void the_new_quantity_must_stay_above_what_is_already_filled(int quantity)
    {
        var order = LimitBuy(PastFill(OrderSide.Buy, 4, 99.00m, 1.00m, 4, 6));

        Assert.Throws<ConflictException>(() => Decide(order, Amend(quantity: quantity), Reserving()));
    }

    [Fact]
    public void a_quantity_off_the_lot_size_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => Decide(PlacedOrder(OrderSide.Buy, OrderType.Limit, 100, 100.00m), Amend(quantity: 55),
            Reserving(), instrument: ListedInstrument(lotSize: 10)));

    [Fact]
    public void a_limit_price_off_the_tick_size_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => Decide(LimitBuy(), Amend(limit: 100.005m), Reserving()));

    [Fact]
    public void changing_the_limit_of_a_market_order_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => Decide(PlacedOrder(OrderSide.Sell, OrderType.Market, 10), Amend(limit: 100.00m),
            position: Holding(10, 90.00m, SharesReservedFor(OrderId, 10))));

    [Fact]
    public void an_amend_that_changes_nothing_appends_nothing()
    {
        Assert.True(Decide(LimitBuy(), Amend(quantity: 10, limit: 100.00m), Reserving()).IsEmpty);
        Assert.True(Decide(LimitBuy(), Amend(limit: 100.00m), Reserving()).IsEmpty);
    }

    [Fact]
    public void reducing_a_limit_buy_keeps_its_limit_and_releases_the_reservation_down_to_the_new_need()
    {
        var events = Decide(LimitBuy(), Amend(quantity: 6), Reserving());

        Assert.Equal<object>([new OrderAmended(OrderId, 6, 100.00m, Now)], events.Order);
        Assert.Equal<object>([new CashReservationReleased(AccountId, OrderId, 400.00m, Now)], events.Account); // 1,001 − (600 + 1)
        Assert.Empty(events.Position);
    }

    [Fact]
    public void lowering_quantity_and_limit_at_once_releases_the_difference()
    {
        var events = Decide(LimitBuy(), Amend(quantity: 5, limit: 99.50m), Reserving());

        Assert.Equal<object>([new OrderAmended(OrderId, 5, 99.50m, Now)], events.Order);
        Assert.Equal<object>([new CashReservationReleased(AccountId, OrderId, 502.50m, Now)], events.Account); // 1,001 − (497.50 + 1)
    }

    [Fact]
    public void raising_the_limit_of_a_buy_reserves_exactly_the_difference()
    {
        var events = Decide(LimitBuy(), Amend(limit: 105.00m), Reserving());

        Assert.Equal<object>([new OrderAmended(OrderId, 10, 105.00m, Now)], events.Order);
        Assert.Equal<object>([new CashReserved(AccountId, OrderId, 50.00m, Now)], events.Account); // (1,050 + 1) − 1,001
    }

    [Fact]
    public void raising_the_limit_with_exactly_enough_available_cash_is_accepted() =>
        Assert.Equal<object>([new CashReserved(AccountId, OrderId, 50.00m, Now)],
            Decide(LimitBuy(), Amend(limit: 105.00m), Reserving(deposited: 1051.00m)).Account);

    [Fact]
    public void raising_the_limit_beyond_the_available_cash_is_refused() =>
        Assert.Throws<InsufficientFundsException>(() => Decide(LimitBuy(), Amend(limit: 105.00m), Reserving(deposited: 1050.99m)));

    [Fact]
    public void a_partly_filled_buy_is_resized_for_its_remaining_quantity_only()
    {
        // 4 filled @ 99.00 paid 397.00 of the 1,001 reserved; 6 remain: 6 × 101 + fee 1.00 = 607 needs 3 more.
        var order = LimitBuy(PastFill(OrderSide.Buy, 4, 99.00m, 1.00m, 4, 6));
        var account = Reserving(5000m, new BuyFillSettled(AccountId, OrderId, Guid.Empty, 397.00m, Earlier));

        var events = Decide(order, Amend(limit: 101.00m), account);

        Assert.Equal<object>([new CashReserved(AccountId, OrderId, 3.00m, Now)], events.Account);
    }

    [Fact]
    public void reducing_a_sell_releases_the_shares_it_no_longer_needs()
    {
        var events = Decide(PlacedOrder(OrderSide.Sell, OrderType.Limit, 50, 100.00m), Amend(quantity: 30),
            position: Holding(100, 90.00m, SharesReservedFor(OrderId, 50)));

        Assert.Equal<object>([new OrderAmended(OrderId, 30, 100.00m, Now)], events.Order);
        Assert.Equal<object>([new SharesReservationReleased(PositionId, OrderId, 20, Now)], events.Position);
        Assert.Empty(events.Account);
    }

    [Fact]
    public void reducing_a_market_sell_releases_the_shares_it_no_longer_needs() =>
        Assert.Equal<object>([new SharesReservationReleased(PositionId, OrderId, 20, Now)],
            Decide(PlacedOrder(OrderSide.Sell, OrderType.Market, 50), Amend(quantity: 30),
                position: Holding(100, 90.00m, SharesReservedFor(OrderId, 50))).Position);

    [Fact]
    public void changing_only_the_limit_of_a_sell_keeps_its_shares_reserved()
    {
        var events = Decide(PlacedOrder(OrderSide.Sell, OrderType.Limit, 50, 100.00m), Amend(limit: 101.00m),
            position: Holding(100, 90.00m, SharesReservedFor(OrderId, 50)));

        Assert.Equal<object>([new OrderAmended(OrderId, 50, 101.00m, Now)], events.Order);
        Assert.Empty(events.Position);
    }

    [Fact]
    public void reducing_a_partly_filled_market_buy_shrinks_its_reservation_in_proportion()
    {
        // A market GTC buy stays open when the quote shows less than its quantity; 4 of 10 filled @ 100.10.
        var order = PlacedOrder(OrderSide.Buy, OrderType.Market, 10, since: [PastFill(OrderSide.Buy, 4, 100.10m, 1.00m, 4, 6)]);
        var account = Account(5000m, CashReservedFor(OrderId, 1052.05m), new BuyFillSettled(AccountId, OrderId, Guid.Empty, 401.40m, Earlier));

        var events = Decide(order, Amend(quantity: 5), account);

        // 650.65 still reserved for 6 remaining; 1 remaining after the amend keeps 650.65 / 6, rounded to cents.
        var released = Assert.IsType<CashReservationReleased>(Assert.Single(events.Account));
        Assert.Equal(650.65m - Money.Cash(650.65m / 6), released.Amount);
    }
}
