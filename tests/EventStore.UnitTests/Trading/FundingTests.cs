using EventStore.Domain.Trading.Accounts;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

public sealed class FundingTests
{
    private readonly Deposit.Validator _deposit = new();
    private readonly Withdraw.Validator _withdraw = new();

    [Fact]
    public void the_first_deposit_opens_the_account_in_the_trading_currency()
    {
        var events = DepositHandler.Decide(null, new Deposit(UserId, 250.00m), Now);

        Assert.Equal<object>([new CashAccountOpened(AccountId, UserId, "USD", Now), new CashDeposited(AccountId, 250.00m, Now)], events);
    }

    [Fact]
    public void a_later_deposit_only_adds_cash()
    {
        var account = Account(100m);

        var events = DepositHandler.Decide(account, new Deposit(UserId, 0.01m), Now);

        Assert.Equal<object>([new CashDeposited(AccountId, 0.01m, Now)], events);
        Assert.Equal(100.01m, Replay(account, events).Balance);
    }

    [Fact]
    public void withdrawing_from_an_account_never_opened_is_refused() =>
        Assert.Throws<InsufficientFundsException>(() => WithdrawHandler.Decide(null, new Withdraw(UserId, 1m), Now));

    [Fact]
    public void a_withdrawal_may_take_exactly_the_cash_not_reserved_by_open_orders()
    {
        var account = Account(1000m, CashReservedFor(OrderId, 600.00m));

        var events = WithdrawHandler.Decide(account, new Withdraw(UserId, 400.00m), Now);

        Assert.Equal<object>([new CashWithdrawn(AccountId, 400.00m, Now)], events);
        Replay(account, events);
        Assert.Equal((600.00m, 600.00m, 0m), (account.Balance, account.Reserved, account.Available));
    }

    [Fact]
    public void a_withdrawal_that_would_dip_into_reservations_is_refused()
    {
        var account = Account(1000m, CashReservedFor(OrderId, 600.00m));

        var error = Assert.Throws<InsufficientFundsException>(() => WithdrawHandler.Decide(account, new Withdraw(UserId, 400.01m), Now));

        Assert.Contains("available 400", error.Message, StringComparison.Ordinal);
        Assert.Contains("reserved by open orders 600", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.01")]
    [InlineData("12.5")]
    [InlineData("100000000")]
    public void a_positive_deposit_with_at_most_two_decimals_up_to_the_maximum_passes(string amount) =>
        _deposit.Validate(new Deposit(UserId, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))).ShouldPass();

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void a_deposit_that_is_not_positive_is_rejected(string amount) =>
        _deposit.Validate(new Deposit(UserId, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)))
            .ShouldFailWith("Amount", "GreaterThanValidator");

    [Fact]
    public void a_deposit_above_the_maximum_is_rejected() =>
        _deposit.Validate(new Deposit(UserId, Deposit.MaxAmount + 0.01m)).ShouldFailWith("Amount", "LessThanOrEqualValidator");

    [Fact]
    public void a_deposit_with_fractions_of_a_cent_is_rejected() =>
        _deposit.Validate(new Deposit(UserId, 10.005m)).ShouldFailWith("Amount", "PredicateValidator");

    [Fact]
    public void a_deposit_without_a_user_is_rejected() =>
        _deposit.Validate(new Deposit(Guid.Empty, 10m)).ShouldFailWith("UserId", "NotEmptyValidator");

    [Fact]
    public void a_positive_withdrawal_in_cents_passes_and_has_no_upper_bound_of_its_own() =>
        _withdraw.Validate(new Withdraw(UserId, Deposit.MaxAmount * 2)).ShouldPass();

    [Fact]
    public void a_withdrawal_that_is_not_positive_is_rejected() =>
        _withdraw.Validate(new Withdraw(UserId, 0m)).ShouldFailWith("Amount", "GreaterThanValidator");

    [Fact]
    public void a_withdrawal_with_fractions_of_a_cent_is_rejected() =>
        _withdraw.Validate(new Withdraw(UserId, 0.001m)).ShouldFailWith("Amount", "PredicateValidator");

    [Fact]
    public void a_withdrawal_without_a_user_is_rejected() =>
        _withdraw.Validate(new Withdraw(Guid.Empty, 1m)).ShouldFailWith("UserId", "NotEmptyValidator");
}
