using System.Text.Json.Nodes;
using EventStore.Domain.Auditing;
using EventStore.Domain.Trading;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Auditing;

[Collection(AppCollection.Name)]
public sealed class AuditApiTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_auditor_reads_a_stream_with_metadata_and_pages_the_global_log()
    {
        var (traderId, trader) = await _client.RegisterAndLogInAsync("audited1");
        await _client.DepositAsync(trader, 1_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var order = (await _client.PlaceAsync(trader, "aud-1", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder")["order"]!;
        var auditor = await AuditorAsync("auditor1");

        var stream = (await _client.SendAsync(
            "query($id: ID!) { auditStream(streamId: $id) { sequence version type streamType actor correlationId causationId headers data revealedData } }",
            new { id = order.Str("id") }, auditor)).Ok("auditStream").AsArray();
        var placed = Assert.Single(stream)!;
        Assert.Equal("order_placed", placed.Str("type"));
        Assert.Equal("order", placed.Str("streamType"));
        Assert.Equal(SystemActors.User(traderId), placed.Str("actor"));
        Assert.Contains("\"PlaceOrder\"", placed.Str("headers"), StringComparison.Ordinal);
        // The client order id is the trader's own text: sealed as stored, opened for the auditor.
        Assert.DoesNotContain("aud-1", placed.Str("data"), StringComparison.Ordinal);
        Assert.Equal("aud-1", JsonNode.Parse(placed.Str("revealedData"))!["ClientOrderId"]!.GetValue<string>());

        const string Page = "query($after: String) { auditEvents(first: 1, after: $after, filter: {eventTypes: [\"cash_deposited\", \"order_placed\"]}) { edges { cursor node { type sequence } } pageInfo { hasNextPage endCursor } } }";
        var first = (await _client.SendAsync(Page, new { after = (string?)null }, auditor)).Ok("auditEvents");
        var second = (await _client.SendAsync(Page, new { after = first["pageInfo"]!.Str("endCursor") }, auditor)).Ok("auditEvents");
        Assert.Equal("cash_deposited", first["edges"]![0]!["node"]!.Str("type"));
        Assert.Equal("order_placed", second["edges"]![0]!["node"]!.Str("type"));
        Assert.False(second["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task aggregate_as_of_rebuilds_the_exact_earlier_state_by_version_and_by_time()
    {
        var (traderId, trader) = await _client.RegisterAndLogInAsync("audited2");
        await _client.DepositAsync(trader, 100m);
        await _client.DepositAsync(trader, 250m);
        var auditor = await AuditorAsync("auditor2");
        var firstDeposit = (await _client.SendAsync("query($id: ID!) { auditStream(streamId: $id) { version timestamp } }",
            new { id = TradingIds.AccountOf(traderId) }, auditor)).Ok("auditStream").AsArray().Single(e => e!["version"]!.GetValue<long>() == 2)!;
        var between = firstDeposit["timestamp"]!.GetValue<DateTimeOffset>(); // the store's commit time of the first deposit
        const string AsOf = "query($id: ID!, $v: Int, $t: DateTimeOffset) { aggregateAsOf(streamId: $id, version: $v, timestamp: $t) { version streamType state } }";
        var account = TradingIds.AccountOf(traderId);

        var atVersion2 = (await _client.SendAsync(AsOf, new { id = account, v = 2 }, auditor)).Ok("aggregateAsOf");
        var atTime = (await _client.SendAsync(AsOf, new { id = account, t = between }, auditor)).Ok("aggregateAsOf");
        var now = (await _client.SendAsync(AsOf, new { id = account }, auditor)).Ok("aggregateAsOf");

        Assert.Equal("cash_account", atVersion2.Str("streamType"));
        Assert.Equal(100m, Balance(atVersion2));
        Assert.Equal(100m, Balance(atTime));
        Assert.Equal(350m, Balance(now));
        Assert.Equal(3, now["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task traders_and_analysts_are_forbidden_and_auditors_change_nothing()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("nosy1");
        var analyst = await WithRoleAsync("analyst1", "ANALYST");
        var auditor = await AuditorAsync("auditor3");

        foreach (var token in new[] { trader, analyst })
        {
            Assert.Equal(["FORBIDDEN"], (await _client.SendAsync("{ auditEvents { edges { cursor } } }", token: token)).Codes);
        }

        var before = (await app.AllEventsAsync()).Count;
        var deposit = await _client.SendAsync("mutation { deposit(input: {amount: 10}) { balance } }", token: auditor);
        var profile = await _client.SendAsync("mutation { updateProfile(input: {displayName: \"x\"}) { id } }", token: analyst);
        Assert.Equal(["FORBIDDEN"], deposit.Codes);
        Assert.Equal(["FORBIDDEN"], profile.Codes);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task every_auditor_query_is_itself_recorded()
    {
        var auditor = await AuditorAsync("auditor4");
        (await _client.SendAsync("{ auditEvents(first: 5) { edges { cursor } } }", token: auditor)).Ok("auditEvents");

        var reads = (await app.AllEventsAsync()).Where(e => e.Data is AuditLogRead).ToList();
        var read = (AuditLogRead)Assert.Single(reads).Data;
        Assert.Equal("auditEvents", read.Operation);
        Assert.Equal(5, read.Results);
    }

    private static decimal Balance(JsonNode snapshot) => JsonNode.Parse(snapshot.Str("state"))!["Balance"]!.GetValue<decimal>();

    private Task<string> AuditorAsync(string username) => WithRoleAsync(username, "AUDITOR");

    private async Task<string> WithRoleAsync(string username, string role) => (await _client.RegisterWithRoleAsync(username, role)).Token;
}
