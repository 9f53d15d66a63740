using Alba;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Projections;

/// <summary>
/// Found by the fuzz (docs/testing.md#the-fuzz): the lag of a projection is the age of the oldest event it has not
/// reached, and when that was one of Marten's tombstones (timestamp -infinity, written after a failed commit),
/// `now() - timestamp` failed in PostgreSQL (22008): `projections` answered INTERNAL and readiness said Unhealthy until
/// the projection moved past it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ProjectionStatusTests(AppFixture app) : IAsyncLifetime
{
    private const string Probe = "TombstoneProbe:All";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public async Task DisposeAsync() =>
        await app.ScalarAsync($"delete from eventstore.mt_event_progression where name = '{Probe}'");

    [Fact]
    public async Task a_pending_tombstone_leaves_the_projection_status_readable_and_the_app_ready()
    {
        // A failed commit (a taken username) makes Marten write a tombstone over the sequence numbers it used.
        (await _client.RegisterAsync("tombstone")).Ok("register");
        Assert.Equal(["CONFLICT"], (await _client.RegisterAsync("TOMBSTONE", "other-tombstone@example.com")).Codes);
        await app.WaitForProjectionsAsync();
        var tombstone = await app.ScalarAsync("select coalesce(max(seq_id), 0) from eventstore.mt_events where type = 'tombstone'");
        Assert.True(tombstone > 0, "The failed registration left no tombstone.");

        // The daemon's shards pass a tombstone within milliseconds; a progression row just before it stands for one that
        // has not yet, deterministically.
        await app.ScalarAsync($"insert into eventstore.mt_event_progression (name, last_seq_id) values ('{Probe}', {tombstone - 1})");
        var admin = await _client.LogInAsAdminAsync();

        var projections = await _client.SendAsync("{ projections { name lag lagSeconds status } }", null, admin);

        Assert.Empty(projections.Codes);
        Assert.NotEmpty(projections.Ok("projections").AsArray());
        var ready = await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(200);
        });
        Assert.Equal("Healthy", await ready.ReadAsTextAsync());
    }
}
