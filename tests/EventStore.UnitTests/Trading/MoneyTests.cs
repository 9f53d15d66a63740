using EventStore.Domain.Trading;

namespace EventStore.UnitTests.Trading;

public sealed class MoneyTests
{
    public static TheoryData<decimal, decimal> CashRoundings => new()
    {
        { 1.005m, 1.01m },   // midpoint away from zero (to even would give 1.00)
        { 2.675m, 2.68m },   // exact in decimal, unlike in double
        { -1.005m, -1.01m },
        { 1.0049m, 1.00m },
        { 7.985m, 7.99m },
        { 12.5m, 12.5m },
    };

    [Theory]
    [MemberData(nameof(CashRoundings))]
    public void cash_is_rounded_to_cents_with_midpoints_away_from_zero(decimal amount, decimal rounded) =>
        Assert.Equal(rounded, Money.Cash(amount));

    public static TheoryData<decimal, decimal> CostRoundings => new()
    {
        { 1.000000005m, 1.00000001m },
        { -1.000000005m, -1.00000001m },
        { 100.333333333333m, 100.33333333m },
        { 99.5m, 99.5m },
    };

    [Theory]
    [MemberData(nameof(CostRoundings))]
    public void an_average_cost_is_rounded_to_eight_decimals_with_midpoints_away_from_zero(decimal amount, decimal rounded) =>
        Assert.Equal(rounded, Money.Cost(amount));

    [Fact]
    public void the_decimals_are_the_documented_ones() => Assert.Equal((2, 8), (Money.CashDecimals, Money.CostDecimals));

    public static TheoryData<decimal, decimal, bool> Multiples => new()
    {
        { 100.05m, 0.01m, true },
        { 100.005m, 0.01m, false },
        { 1.0850m, 0.0001m, true },
        { 0.003m, 0.001m, true },
        { 30m, 10m, true },
        { 35m, 10m, false },
        { 65000.5m, 0.5m, true },
        { 65000.25m, 0.5m, false },
        { 0m, 0.01m, true },
        { 10m, 0m, false }, // a step of zero has no multiples: never divide by it
        { 10m, -1m, false },
    };

    [Theory]
    [MemberData(nameof(Multiples))]
    public void a_value_is_a_multiple_of_a_positive_step_only(decimal value, decimal step, bool multiple) =>
        Assert.Equal(multiple, Money.IsMultipleOf(value, step));
}
