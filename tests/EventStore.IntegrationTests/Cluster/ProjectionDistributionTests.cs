using Alba;
using EventStore.Api.Hosting;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.LiveFeed;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Marten.Events;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Cluster;

/// <summary>
/// Two projecting app hosts on one database in `EventStore:NodeMode=Balanced`, once per projection distribution: every
/// projection and subscription of the store runs on exactly one of them, the read models apply each event once, and a
/// subscriber on one node sees what the other commits. Each case has its own database and hosts.
/// </summary>
public sealed class ProjectionDistributionTests
{
    [Theory]
    [InlineData(nameof(ProjectionDistribution.HotCold))]
    [InlineData(nameof(ProjectionDistribution.WolverineManaged))]
    public async Task two_balanced_nodes_run_each_projection_on_exactly_one_node(string distribution)
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_nodes");
        (string, string)[] cluster =
        [
            (NodeSettings.NodeModeKey, "Balanced"), (NodeSettings.DistributionKey, distribution), ("MarketData:Enabled", "false"),
            ("GraphQL:AnonymousRequestsPerMinute", "0"), ("Logging:LogLevel:Default", "Warning"),
        ];
        await using var nodeA = await AppFixture.StartNodeAsync(database,
            [.. cluster, ("Bootstrap:AdminUsername", AppFixture.AdminUsername), ("Bootstrap:AdminPassword", AppFixture.AdminPassword)]);
        await using var nodeB = await AppFixture.StartNodeAsync(database, [.. cluster, ("Trading:SeedInstruments", "false")]);
        var (a, b) = (new GraphQLClient(nodeA), new GraphQLClient(nodeB));

        var (_, token) = await b.RegisterAndLogInAsync("cluster-trader");
        await using var onA = await SubscriptionProbe.SubscribeAsync(nodeA, "subscription { portfolioChanged { event } }", token);
        await b.DepositAsync(token, 100m);
        await a.DepositAsync(token, 20m);

        var seenOnA = new List<string>();
        while (seenOnA.Count < 3)
        {
            seenOnA.Add((await onA.NextAsync())["event"]!.GetValue<string>());
        }

        Assert.Equal(["cash_account_opened", "cash_deposited", "cash_deposited"], seenOnA);
        var more = 0;
        await AssertEachShardRunsOnExactlyOneNodeAsync(nodeA, nodeB, () => b.DepositAsync(token, ++more));
        var portfolio = (await a.SendAsync("{ portfolio { cash } }", token: token)).Ok("portfolio");
        Assert.Equal(120m + (more * (more + 1) / 2), portfolio.Dec("cash")); // each deposit applied once
    }

    [Theory]
    [InlineData(NodeSettings.NodeModeKey, "Cluster", "Solo, Balanced")]
    [InlineData(NodeSettings.DistributionKey, "Elected", "HotCold, WolverineManaged")]
    [InlineData(NodeSettings.DistributionKey, "1", "HotCold, WolverineManaged")]
    [InlineData(NodeSettings.RunProjectionsKey, "maybe", "true or false")]
    public void a_wrong_node_setting_stops_start_up_naming_it(string key, string value, string expected)
    {
        var configuration = Configuration((NodeSettings.NodeModeKey, "Balanced"), (key, value));

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => NodeSettings.From(configuration));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_distribution_on_a_solo_node_stops_start_up_naming_both_settings()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            NodeSettings.From(Configuration((NodeSettings.DistributionKey, "HotCold"))));

        Assert.Contains(NodeSettings.DistributionKey, e.Message, StringComparison.Ordinal);
        Assert.Contains(NodeSettings.NodeModeKey + "=Balanced", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void balanced_nodes_default_to_the_measured_distribution_and_wolverine_managed_leaves_the_daemon_to_wolverine()
    {
        var hotCold = NodeSettings.From(Configuration((NodeSettings.NodeModeKey, "balanced")));
        var managed = NodeSettings.From(Configuration((NodeSettings.NodeModeKey, "Balanced"), (NodeSettings.DistributionKey, "wolverinemanaged")));
        var apiOnly = NodeSettings.From(Configuration((NodeSettings.NodeModeKey, "Balanced"), (NodeSettings.RunProjectionsKey, "false")));

        Assert.Equal(new NodeSettings(NodeMode.Balanced, NodeSettings.DefaultDistribution, true), hotCold);
        Assert.True(hotCold.StartsMartenDaemon);
        Assert.False(managed.StartsMartenDaemon);
        Assert.False(apiOnly.StartsMartenDaemon);
        Assert.Equal(new NodeSettings(NodeMode.Solo, NodeSettings.DefaultDistribution, true), NodeSettings.From(Configuration()));
    }

    /// <summary>
    /// After the projections have caught up with a fresh event (Marten's own wait), every shard that processed it was
    /// started on some node. Wolverine may still be moving agents to the node that joined last (stop here, start there),
    /// so a shard missing from both nodes is retried after another event; a shard on both nodes fails at once.
    /// </summary>
    private static async Task AssertEachShardRunsOnExactlyOneNodeAsync(IAlbaHost nodeA, IAlbaHost nodeB, Func<Task> anotherEvent)
    {
        var all = ((StoreOptions)nodeA.Services.GetRequiredService<IDocumentStore>().Options).Projections.AllShards()
            .Select(s => s.Name.Identity).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(all);
        for (var attempt = 1; ; attempt++)
        {
            await nodeA.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            var onA = Running(nodeA);
            var onB = Running(nodeB);
            Assert.Empty(onA.Intersect(onB));
            var missing = all.Except(onA).Except(onB).ToList();
            if (missing.Count == 0)
            {
                Assert.Subset(all, onA.Union(onB).ToHashSet(StringComparer.Ordinal));
                return;
            }

            Assert.True(attempt < 10, $"Running on neither node after {attempt} events: {string.Join(", ", missing)}");
            await anotherEvent();
        }
    }

    private static HashSet<string> Running(IAlbaHost node)
    {
        try
        {
            return node.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase().CurrentAgents()
                .Select(a => a.Name.Identity).ToHashSet(StringComparer.Ordinal);
        }
        catch (Wolverine.Runtime.Agents.DaemonNotRunningOnThisNodeException)
        {
            return []; // Wolverine has assigned this node nothing (yet)
        }
    }

    /// <summary>Later settings win, as in layered configuration.</summary>
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.GroupBy(s => s.Key).Select(g => new KeyValuePair<string, string?>(g.Key, g.Last().Value)))
            .Build();
}
