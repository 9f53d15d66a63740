using Alba;
using EventStore.Api.Assistant;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>The per-user assistant limit holds across nodes: two app hosts on one PostgreSQL share one quota.</summary>
[Collection(AppCollection.Name)]
public sealed class AssistantRateLimitTests(AppFixture app) : IAsyncLifetime
{
    private static readonly int Limit = new AssistantOptions().RequestsPerMinute;
    private IAlbaHost _nodeB = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _nodeB = await app.StartSecondNodeAsync();
    }

    public async Task DisposeAsync() => await _nodeB.DisposeAsync();

    [Fact]
    public async Task requests_spread_over_two_nodes_count_against_one_limit()
    {
        var nodeA = new GraphQLClient(app.Host);
        var nodeB = new GraphQLClient(_nodeB);
        var (_, token) = await nodeA.RegisterAndLogInAsync("two-node-asker");

        for (var i = 0; i < Limit; i++)
        {
            (await (i % 2 == 0 ? nodeA : nodeB).AskAsync(token, $"question {i}")).Ok("askAssistant");
        }

        Assert.Equal(["RATE_LIMITED"], (await nodeA.AskAsync(token, "one more on A")).Codes);
        Assert.Equal(["RATE_LIMITED"], (await nodeB.AskAsync(token, "one more on B")).Codes);
    }

    [Fact]
    public async Task a_concurrent_burst_on_two_nodes_never_gets_more_than_the_limit()
    {
        var nodeA = new GraphQLClient(app.Host);
        var nodeB = new GraphQLClient(_nodeB);
        var (_, token) = await nodeA.RegisterAndLogInAsync("burst-asker");

        var answers = await Task.WhenAll(Enumerable.Range(0, Limit + 6)
            .Select(i => (i % 2 == 0 ? nodeA : nodeB).AskAsync(token, $"burst {i}")));

        var accepted = answers.Count(a => a.Codes.Count == 0);
        Assert.InRange(accepted, 1, Limit);
        Assert.All(answers.Where(a => a.Codes.Count > 0), a => Assert.Equal(["RATE_LIMITED"], a.Codes));
        await app.WaitForProjectionsAsync();
        Assert.Equal(accepted, (await app.AllEventsAsync()).Count(e => e.Data is Domain.Assistant.AssistantPromptSubmitted));
    }
}
