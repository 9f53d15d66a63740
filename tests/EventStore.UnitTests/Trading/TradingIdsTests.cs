using EventStore.Domain.Trading;

namespace EventStore.UnitTests.Trading;

public sealed class TradingIdsTests
{
    private static readonly Guid Alice = Guid.Parse("0197b000-0000-7000-8000-000000000001");
    private static readonly Guid Bob = Guid.Parse("0197b000-0000-7000-8000-000000000002");

    [Fact]
    public void the_same_key_always_gives_the_same_id()
    {
        Assert.Equal(TradingIds.Instrument("ACME"), TradingIds.Instrument("ACME"));
        Assert.Equal(TradingIds.QuotesOf("ACME"), TradingIds.QuotesOf("ACME"));
        Assert.Equal(TradingIds.AccountOf(Alice), TradingIds.AccountOf(Alice));
        Assert.Equal(TradingIds.PositionOf(Alice, "ACME"), TradingIds.PositionOf(Alice, "ACME"));
    }

    [Fact]
    public void ids_are_the_standard_name_based_uuids_of_their_keys_and_never_change()
    {
        // Stream ids are stored: a change to the derivation would orphan every existing stream. The expected values
        // are RFC 9562 version 5 UUIDs of the same names computed independently (Python's uuid.uuid5).
        Assert.Equal(Guid.Parse("63217a74-be71-5a9e-aa50-a3075e8834dc"), TradingIds.Instrument("ACME"));
        Assert.Equal(Guid.Parse("d7208598-80da-5ab2-b9b2-7f8bf513defe"), TradingIds.QuotesOf("ACME"));
        Assert.Equal(Guid.Parse("12964865-0168-5c88-a964-263c4c194892"), TradingIds.AccountOf(Alice));
        Assert.Equal(Guid.Parse("4311da05-100e-5fca-a7c5-74f3e1f33c48"), TradingIds.PositionOf(Alice, "ACME"));
    }

    [Fact]
    public void a_symbol_in_another_case_is_the_same_instrument_and_position()
    {
        Assert.Equal(TradingIds.Instrument("ACME"), TradingIds.Instrument("acme"));
        Assert.Equal(TradingIds.QuotesOf("Brk.B"), TradingIds.QuotesOf("BRK.B"));
        Assert.Equal(TradingIds.PositionOf(Alice, "ACME"), TradingIds.PositionOf(Alice, "aCmE"));
    }

    [Fact]
    public void different_keys_and_different_kinds_give_different_ids()
    {
        Guid[] ids =
        [
            TradingIds.Instrument("ACME"), TradingIds.Instrument("ACMF"), TradingIds.QuotesOf("ACME"),
            TradingIds.AccountOf(Alice), TradingIds.AccountOf(Bob),
            TradingIds.PositionOf(Alice, "ACME"), TradingIds.PositionOf(Bob, "ACME"), TradingIds.PositionOf(Alice, "ACMF"),
        ];

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void ids_are_name_based_version_5_uuids()
    {
        foreach (var id in new[] { TradingIds.Instrument("ACME"), TradingIds.AccountOf(Alice), TradingIds.PositionOf(Bob, "X") })
        {
            Assert.Equal(5, id.Version);
            Assert.Equal(0b10, id.Variant >> 2); // RFC 9562 variant: the two high bits are 10
        }
    }
}
