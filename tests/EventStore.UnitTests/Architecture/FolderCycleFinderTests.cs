namespace EventStore.UnitTests.Architecture;

/// <summary>The cycle finder and the using-directive reader behind <see cref="FolderCycleTests"/>, on graphs and sources in memory.</summary>
public sealed class FolderCycleFinderTests
{
    [Fact]
    public void a_cycle_is_found_with_every_module_in_it_and_the_files_that_make_each_edge()
    {
        var graph = new ModuleGraph();
        graph.Add("Chat", "Assistant", "Chat/PostMessage.cs");
        graph.Add("Assistant", "Users", "Assistant/Ask.cs");
        graph.Add("Users", "Chat", "Users/Erase.cs");
        graph.Add("Users", "Chat", "Users/Rename.cs");
        graph.Add("Trading", "Users", "Trading/Place.cs"); // into the cycle, not part of it

        var cycles = FolderCycles.Find(graph);

        var cycle = Assert.Single(cycles);
        Assert.Equal(["Assistant", "Chat", "Users"], cycle);
        var message = FolderCycles.Describe(graph, cycles);
        Assert.Contains("cycle: Assistant <-> Chat <-> Users", message, StringComparison.Ordinal);
        Assert.Contains("Users -> Chat: Users/Erase.cs, Users/Rename.cs", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Trading", message, StringComparison.Ordinal);
    }

    [Fact]
    public void two_separate_cycles_are_reported_apart()
    {
        var graph = new ModuleGraph();
        graph.Add("A", "B", "a.cs");
        graph.Add("B", "A", "b.cs");
        graph.Add("C", "D", "c.cs");
        graph.Add("D", "C", "d.cs");
        graph.Add("B", "C", "b2.cs");

        Assert.Equal([["A", "B"], ["C", "D"]], FolderCycles.Find(graph));
    }

    [Fact]
    public void a_graph_without_cycles_passes()
    {
        var graph = new ModuleGraph();
        graph.Add("GraphQL", "Trading", "g.cs");
        graph.Add("GraphQL", "Users", "g.cs");
        graph.Add("Trading", "Users", "t.cs");
        graph.Add("Hosting", "GraphQL", "h.cs");

        Assert.Empty(FolderCycles.Find(graph));
    }

    [Fact]
    public void plain_static_global_and_alias_usings_of_another_module_are_edges_and_other_projects_and_statements_are_not()
    {
        var graph = new ModuleGraph();
        graph.AddSource("EventStore.Api", "Auth/Tokens.cs", """
            global using EventStore.Api.Hosting;
            using static EventStore.Api.LiveFeed.EventFeed;
            using Feed = EventStore.Api.GraphQL.Audit.AuditLog;
            using EventStore.Domain.Users;
            using EventStore.Api;
            using EventStore.Api.Auth.Sessions;
            // using EventStore.Api.Commented;
            namespace EventStore.Api.Auth.Tokens;

            public sealed class Tokens
            {
                public void Run()
                {
                    using var scope = Make();
                }
            }
            """);

        Assert.Equal(["GraphQL", "Hosting", "LiveFeed"], graph.Targets("Auth"));
        Assert.Equal(["Auth/Tokens.cs"], graph.Files("Auth", "Hosting"));
    }

    [Theory]
    [InlineData("EventStore.Api.GraphQL.Audit", "GraphQL")]
    [InlineData("EventStore.Api.Hosting", "Hosting")]
    [InlineData("EventStore.Api", null)]
    [InlineData("EventStore.ApiTools.Hosting", null)]
    [InlineData("EventStore.Domain.Users", null)]
    public void a_namespaces_module_is_its_first_segment_after_the_root(string ns, string? module) =>
        Assert.Equal(module, ModuleGraph.ModuleOf("EventStore.Api", ns));
}
