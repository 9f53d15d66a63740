using EventStore.Domain;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Instruments;
using static EventStore.UnitTests.Trading.TradingHistory;

namespace EventStore.UnitTests.Trading;

public sealed class InstrumentTests
{
    private static readonly ListInstrument Valid = new("BRK.B", "Berkshire Hathaway Inc. Class B", "USD", 0.01m, 1m, 420.00m);

    private readonly ListInstrument.Validator _validator = new();

    [Theory]
    [InlineData("A")]
    [InlineData("BRK.B")]
    [InlineData("EURUSD-F")]
    [InlineData("0DTE")]
    [InlineData("ABCDEFGHIJKLMNOP")]
    public void a_well_formed_listing_passes(string symbol) =>
        _validator.Validate(Valid with { Symbol = symbol }).ShouldPass();

    [Theory]
    [InlineData("brk.b")]
    [InlineData(".BRK")]
    [InlineData("-BRK")]
    [InlineData("BRK B")]
    [InlineData("BRK/B")]
    public void a_symbol_with_lower_case_or_other_characters_is_rejected(string symbol) =>
        _validator.Validate(Valid with { Symbol = symbol }).ShouldFailWith("Symbol", "RegularExpressionValidator");

    [Fact]
    public void a_symbol_that_is_empty_or_too_long_is_rejected()
    {
        _validator.Validate(Valid with { Symbol = "" }).ShouldFailWith("Symbol", "NotEmptyValidator");
        _validator.Validate(Valid with { Symbol = new string('A', 17) }).ShouldFailWith("Symbol", "MaximumLengthValidator");
    }

    [Theory]
    [InlineData("usd", "RegularExpressionValidator")]
    [InlineData("U5D", "RegularExpressionValidator")]
    [InlineData("US", "ExactLengthValidator")]
    [InlineData("", "NotEmptyValidator")]
    public void a_currency_that_is_not_three_upper_case_letters_is_rejected(string currency, string errorCode) =>
        _validator.Validate(Valid with { Currency = currency }).ShouldFailWith("Currency", errorCode);

    [Fact]
    public void tick_size_lot_size_and_reference_price_must_be_positive()
    {
        _validator.Validate(Valid with { TickSize = 0 }).ShouldFailWith("TickSize", "GreaterThanValidator");
        _validator.Validate(Valid with { LotSize = -1 }).ShouldFailWith("LotSize", "GreaterThanValidator");
        _validator.Validate(Valid with { ReferencePrice = 0 }).ShouldFailWith("ReferencePrice", "GreaterThanValidator");
    }

    [Fact]
    public void a_reference_price_off_the_tick_size_is_rejected() =>
        _validator.Validate(Valid with { TickSize = 0.05m, ReferencePrice = 420.02m }).ShouldFailWith("ReferencePrice", "PredicateValidator");

    [Fact]
    public void every_bad_field_of_a_listing_is_reported_once() =>
        _validator.Validate(new ListInstrument("", "", "", 0, 0, 0))
            .ShouldFailOn("Symbol", "Name", "Currency", "TickSize", "LotSize", "ReferencePrice");

    [Fact]
    public void listing_starts_the_stream_of_the_symbol_with_a_trimmed_name()
    {
        var listed = ListInstrumentHandler.Decide(false, Valid with { Name = "  Berkshire  " }, Now);

        Assert.Equal(new InstrumentListed(TradingIds.Instrument("BRK.B"), "BRK.B", "Berkshire", "USD", 0.01m, 1m, 420.00m, Now), listed);
    }

    [Fact]
    public void listing_a_listed_symbol_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => ListInstrumentHandler.Decide(true, Valid, Now));

    [Fact]
    public void managing_an_instrument_never_listed_is_not_found()
    {
        Assert.Throws<NotFoundException>(() => UpdateInstrumentHandler.Decide(null, new UpdateInstrument(InstrumentId, "Acme", 0.01m, 1m), Now));
        Assert.Throws<NotFoundException>(() => HaltInstrumentHandler.Decide(new Instrument(), new HaltInstrument(InstrumentId, "news"), Now));
        Assert.Throws<NotFoundException>(() => ResumeInstrumentHandler.Decide(null, new ResumeInstrument(InstrumentId), Now));
    }

    [Fact]
    public void an_update_with_the_same_reference_data_appends_nothing() =>
        Assert.Empty(UpdateInstrumentHandler.Decide(ListedInstrument(), new UpdateInstrument(InstrumentId, "Acme Corp.", 0.01m, 1m), Now));

    [Fact]
    public void an_update_records_the_new_reference_data()
    {
        var updated = Assert.Single(
            UpdateInstrumentHandler.Decide(ListedInstrument(), new UpdateInstrument(InstrumentId, " Acme ", 0.05m, 10m), Now));

        Assert.Equal(new InstrumentUpdated(InstrumentId, "Acme", 0.05m, 10m, Now), updated);
        Assert.Equal((0.05m, 10m), (ListedInstrument(since: [updated]).TickSize, ListedInstrument(since: [updated]).LotSize));
    }

    [Fact]
    public void halting_and_resuming_happen_once()
    {
        var halted = ListedInstrument(since: [new InstrumentHalted(InstrumentId, "news", Earlier)]);

        Assert.Equal<object>([new InstrumentHalted(InstrumentId, "news", Now)],
            HaltInstrumentHandler.Decide(ListedInstrument(), new HaltInstrument(InstrumentId, " news "), Now));
        Assert.Empty(HaltInstrumentHandler.Decide(halted, new HaltInstrument(InstrumentId, "again"), Now));
        Assert.Equal<object>([new InstrumentResumed(InstrumentId, Now)],
            ResumeInstrumentHandler.Decide(halted, new ResumeInstrument(InstrumentId), Now));
        Assert.Empty(ResumeInstrumentHandler.Decide(ListedInstrument(), new ResumeInstrument(InstrumentId), Now));
    }
}
