using EventStore.Domain.Trading.Orders;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

public sealed class OrderValidationTests
{
    private static readonly PlaceOrder ValidLimit =
        new(OrderId, UserId, "client-1", Symbol, OrderSide.Buy, OrderType.Limit, 10, 100.00m, TimeInForce.Day);

    private static readonly PlaceOrder ValidMarket = ValidLimit with { Type = OrderType.Market, LimitPrice = null };

    private static readonly AmendOrder ValidAmend = new(OrderId, UserId, 5, null, null);

    private readonly PlaceOrder.Validator _place = new();
    private readonly AmendOrder.Validator _amend = new();

    [Fact]
    public void a_well_formed_limit_order_and_market_order_pass()
    {
        _place.Validate(ValidLimit).ShouldPass();
        _place.Validate(ValidMarket).ShouldPass();
    }

    [Theory]
    [InlineData("A")]
    [InlineData("abc_XYZ.09:-")]
    [InlineData("2026-03-10T15:00:00.123")]
    public void a_client_order_id_of_letters_digits_and_separators_passes(string clientOrderId) =>
        _place.Validate(ValidLimit with { ClientOrderId = clientOrderId }).ShouldPass();

    [Fact]
    public void a_client_order_id_at_the_maximum_length_passes() =>
        _place.Validate(ValidLimit with { ClientOrderId = new string('c', PlaceOrder.ClientOrderIdMaxLength) }).ShouldPass();

    [Fact]
    public void a_client_order_id_over_the_maximum_length_is_rejected() =>
        _place.Validate(ValidLimit with { ClientOrderId = new string('c', PlaceOrder.ClientOrderIdMaxLength + 1) })
            .ShouldFailWith("ClientOrderId", "MaximumLengthValidator");

    [Fact]
    public void an_empty_client_order_id_is_rejected() =>
        _place.Validate(ValidLimit with { ClientOrderId = "" }).ShouldFailWith("ClientOrderId", "NotEmptyValidator");

    [Theory]
    [InlineData("two words")]
    [InlineData("slash/ed")]
    [InlineData("hash#1")]
    [InlineData("ordré")]
    public void a_client_order_id_with_other_characters_is_rejected(string clientOrderId) =>
        _place.Validate(ValidLimit with { ClientOrderId = clientOrderId }).ShouldFailWith("ClientOrderId", "RegularExpressionValidator");

    [Fact]
    public void a_limit_order_without_a_limit_price_is_rejected() =>
        _place.Validate(ValidLimit with { LimitPrice = null }).ShouldFailWith("LimitPrice", "NotNullValidator");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void a_limit_order_with_a_limit_price_that_is_not_positive_is_rejected(int limit) =>
        _place.Validate(ValidLimit with { LimitPrice = limit }).ShouldFailWith("LimitPrice", "GreaterThanValidator");

    [Fact]
    public void a_market_order_with_a_limit_price_is_rejected() =>
        _place.Validate(ValidMarket with { LimitPrice = 100.00m }).ShouldFailWith("LimitPrice", "NullValidator");

    [Theory]
    [InlineData(0)]
    [InlineData(-10)]
    public void a_quantity_that_is_not_positive_is_rejected(int quantity) =>
        _place.Validate(ValidLimit with { Quantity = quantity }).ShouldFailWith("Quantity", "GreaterThanValidator");

    [Fact]
    public void a_symbol_that_is_empty_or_too_long_is_rejected()
    {
        _place.Validate(ValidLimit with { Symbol = "" }).ShouldFailWith("Symbol", "NotEmptyValidator");
        _place.Validate(ValidLimit with { Symbol = new string('S', 17) }).ShouldFailWith("Symbol", "MaximumLengthValidator");
    }

    [Fact]
    public void every_bad_field_of_a_placement_is_reported_once() =>
        _place.Validate(new PlaceOrder(Guid.Empty, Guid.Empty, "", "", OrderSide.Sell, OrderType.Limit, 0, null, TimeInForce.Ioc))
            .ShouldFailOn("OrderId", "UserId", "ClientOrderId", "Symbol", "Quantity", "LimitPrice");

    [Fact]
    public void an_amend_with_a_new_quantity_or_a_new_limit_passes()
    {
        _amend.Validate(ValidAmend).ShouldPass();
        _amend.Validate(ValidAmend with { Quantity = null, LimitPrice = 99.50m, ExpectedVersion = 3 }).ShouldPass();
    }

    [Fact]
    public void an_amend_that_changes_neither_quantity_nor_limit_is_rejected() =>
        _amend.Validate(ValidAmend with { Quantity = null }).ShouldFailWith("Quantity", "PredicateValidator");

    [Fact]
    public void an_amend_to_a_quantity_or_limit_that_is_not_positive_is_rejected()
    {
        _amend.Validate(ValidAmend with { Quantity = 0 }).ShouldFailWith("Quantity", "GreaterThanValidator");
        _amend.Validate(ValidAmend with { LimitPrice = -0.01m }).ShouldFailWith("LimitPrice", "GreaterThanValidator");
    }

    [Fact]
    public void an_amend_with_an_expected_version_that_is_not_positive_is_rejected() =>
        _amend.Validate(ValidAmend with { ExpectedVersion = 0 }).ShouldFailWith("ExpectedVersion", "GreaterThanValidator");

    [Fact]
    public void an_amend_without_an_order_is_rejected() =>
        _amend.Validate(ValidAmend with { OrderId = Guid.Empty }).ShouldFailWith("OrderId", "NotEmptyValidator");

    [Fact]
    public void a_cancel_checks_the_order_and_the_expected_version()
    {
        var validator = new CancelOrder.Validator();

        validator.Validate(new CancelOrder(OrderId, UserId, null)).ShouldPass();
        validator.Validate(new CancelOrder(OrderId, UserId, 0)).ShouldFailWith("ExpectedVersion", "GreaterThanValidator");
        validator.Validate(new CancelOrder(Guid.Empty, UserId, 1)).ShouldFailWith("OrderId", "NotEmptyValidator");
    }
}
