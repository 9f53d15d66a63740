using EventStore.Projections.Analytics;

namespace EventStore.UnitTests.Analytics;

public sealed class AnalyticsPseudonymsTests
{
    private static readonly Guid Id = Guid.Parse("0195f2a4-0000-7000-8000-0000000000aa");

    [Fact]
    public void rooms_messages_and_requests_get_keyed_pseudonyms_that_differ_by_kind_even_for_the_same_id()
    {
        var key = Enumerable.Range(1, AnalyticsPseudonyms.KeyBytes).Select(i => (byte)i).ToArray();
        var pseudonyms = new AnalyticsPseudonyms(key);
        var other = new AnalyticsPseudonyms([.. key.Select(b => (byte)(b + 1))]);

        Assert.Matches("^r_[0-9a-f]{32}$", pseudonyms.Room(Id));
        Assert.Matches("^m_[0-9a-f]{32}$", pseudonyms.Message(Id));
        Assert.Matches("^i_[0-9a-f]{32}$", pseudonyms.Interaction(Id));
        Assert.Equal(pseudonyms.Room(Id), new AnalyticsPseudonyms(key).Room(Id));
        Assert.NotEqual(pseudonyms.Room(Id), other.Room(Id));
        // One id, four kinds: four unrelated MACs (the prefix aside), so a key of one kind says nothing about another.
        var macs = new[] { pseudonyms.Trader(Id), pseudonyms.Room(Id), pseudonyms.Message(Id), pseudonyms.Interaction(Id) }
            .Select(p => p[2..]).ToList();
        Assert.Equal(4, macs.Distinct().Count());
        Assert.All(macs, mac => Assert.DoesNotContain(Id.ToString("N")[..8], mac, StringComparison.Ordinal));
    }
}
