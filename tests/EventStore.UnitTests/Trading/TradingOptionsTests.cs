using System.ComponentModel.DataAnnotations;
using EventStore.Domain.Trading;

namespace EventStore.UnitTests.Trading;

public sealed class TradingOptionsTests
{
    private static readonly TradingOptions Options = TradingHistory.Options();

    public static TheoryData<DateTimeOffset, DateTimeOffset> SessionEnds => new()
    {
        // before the session end: today's end
        { new(2026, 3, 10, 14, 0, 0, TimeSpan.Zero), new(2026, 3, 10, 21, 0, 0, TimeSpan.Zero) },
        { new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 10, 21, 0, 0, TimeSpan.Zero) },
        { new(2026, 3, 10, 20, 59, 59, TimeSpan.Zero), new(2026, 3, 10, 21, 0, 0, TimeSpan.Zero) },
        // at or after the session end: tomorrow's end
        { new(2026, 3, 10, 21, 0, 0, TimeSpan.Zero), new(2026, 3, 11, 21, 0, 0, TimeSpan.Zero) },
        { new(2026, 3, 10, 23, 30, 0, TimeSpan.Zero), new(2026, 3, 11, 21, 0, 0, TimeSpan.Zero) },
        { new(2026, 12, 31, 22, 0, 0, TimeSpan.Zero), new(2027, 1, 1, 21, 0, 0, TimeSpan.Zero) },
        // the session end is a UTC time of day, whatever the caller's offset
        { new(2026, 3, 10, 22, 30, 0, TimeSpan.FromHours(2)), new(2026, 3, 10, 21, 0, 0, TimeSpan.Zero) },
        { new(2026, 3, 10, 18, 0, 0, TimeSpan.FromHours(-5)), new(2026, 3, 11, 21, 0, 0, TimeSpan.Zero) },
    };

    [Theory]
    [MemberData(nameof(SessionEnds))]
    public void a_day_order_expires_at_the_next_session_end(DateTimeOffset now, DateTimeOffset expiresAt)
    {
        var end = Options.SessionEndAfter(now);

        Assert.Equal(expiresAt, end);
        Assert.Equal(TimeSpan.Zero, end.Offset);
    }

    public static TheoryData<decimal, decimal> Fees => new()
    {
        { 0m, 1.00m },        // the minimum fee applies to any fill
        { 1_990m, 1.00m },    // 0.995 rounds to 1.00, still the minimum
        { 2_010m, 1.01m },    // 1.005 rounds away from zero
        { 3_010m, 1.51m },    // 1.505 rounds away from zero
        { 10_000m, 5.00m },
        { 12_345.67m, 6.17m }, // 6.172835
    };

    [Theory]
    [MemberData(nameof(Fees))]
    public void the_fee_is_the_rate_on_the_notional_in_cents_but_at_least_the_minimum(decimal notional, decimal fee) =>
        Assert.Equal(fee, Options.FeeFor(notional));

    [Fact]
    public void the_fixed_fee_is_added_before_rounding_and_the_minimum_check()
    {
        var options = new TradingOptions { FixedFee = 0.25m, FeeRate = 0.001m, MinimumFee = 1m };

        Assert.Equal(1.25m, options.FeeFor(1_000m));
        Assert.Equal(1.00m, options.FeeFor(500m)); // 0.75 is below the minimum
        Assert.Equal(0.25m, new TradingOptions { FixedFee = 0.25m, FeeRate = 0m, MinimumFee = 0m }.FeeFor(12_345m));
    }

    [Fact]
    public void the_defaults_are_valid_settings() => Assert.Empty(Validate(new TradingOptions()));

    [Fact]
    public void a_setting_out_of_range_is_reported_by_name()
    {
        var errors = Validate(new TradingOptions { FeeRate = 0.2m, MarketBuyBuffer = -0.01m, MaxOrderNotional = 0m });

        Assert.Equal(["FeeRate", "MarketBuyBuffer", "MaxOrderNotional"], errors.SelectMany(e => e.MemberNames).Order(StringComparer.Ordinal));
    }

    private static List<ValidationResult> Validate(TradingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
