using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;

namespace EventStore.Bench.Failover;

/// <summary>
/// Two app processes in `EventStore:NodeMode=Balanced` with one projection distribution, on a fresh database: node A
/// (bootstraps the admin, seeds instruments) is ready before node B starts, as in a rolling start.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    /// <summary>The projection whose progress the bench follows: every deposit moves it.</summary>
    public const string WatchedProjection = "CashAccountView";

    private TwoNodes(string connectionString, AppNode a, GraphQLHttp httpA, AppNode b, GraphQLHttp httpB, BenchUsers users, string adminToken)
    {
        ConnectionString = connectionString;
        A = (a, httpA);
        B = (b, httpB);
        Users = users;
        AdminToken = adminToken;
    }

    public string ConnectionString { get; }

    public (AppNode Node, GraphQLHttp Http) A { get; }

    public (AppNode Node, GraphQLHttp Http) B { get; }

    public BenchUsers Users { get; }

    public string AdminToken { get; }

    public static async Task<TwoNodes> StartAsync(string mode, string database, string serverConnectionString, FailoverOptions options, string work)
    {
        await using (var server = new NpgsqlConnection(serverConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{database}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
        var settings = new Dictionary<string, string>(BenchPostgres.AppSettings(connectionString, work))
        {
            ["EventStore:NodeMode"] = "Balanced",
            ["EventStore:ProjectionDistribution"] = mode,
            ["GraphQL:RequestsPerMinutePerUser"] = "0",
            ["GraphQL:AnonymousRequestsPerMinute"] = "0",
        };
        var a = await AppNode.StartAsync(database + "-a", options.AppDll, work, settings);
        var httpA = new GraphQLHttp(a.HttpUri);
        var users = await BenchUsers.CreateAsync(httpA, 1);
        var admin = await httpA.LogInAsync("bench-admin", GraphQLHttp.Password);

        // One node bootstraps the admin and seeds the catalogue (docs/operations.md, "Scaling out").
        settings.Remove("Bootstrap:AdminUsername");
        settings.Remove("Bootstrap:AdminPassword");
        settings["Trading:SeedInstruments"] = "false";
        var b = await AppNode.StartAsync(database + "-b", options.AppDll, work, settings);
        return new TwoNodes(connectionString, a, httpA, b, new GraphQLHttp(b.HttpUri), users, admin);
    }

    /// <summary>Which node runs each asynchronous projection now, from each node's `projections { runningHere }`.</summary>
    public async Task<Dictionary<string, List<string>>> PlacementAsync(params (AppNode Node, GraphQLHttp Http)[] nodes)
    {
        var placement = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (node, http) in nodes)
        {
            var projections = (await http.SendAsync("{ projections { name runningHere } }", token: AdminToken))["projections"]!.AsArray();
            foreach (var p in projections.OfType<JsonObject>())
            {
                var runsOn = placement.TryGetValue(p["name"]!.GetValue<string>(), out var list) ? list : placement[p["name"]!.GetValue<string>()] = [];
                if (p["runningHere"]!.GetValue<bool>())
                {
                    runsOn.Add(node.Name);
                }
            }
        }

        return placement;
    }

    /// <summary>
    /// Waits until every projection runs on exactly one node and the placement has not changed for
    /// <paramref name="stable"/> (Wolverine moves agents to a node that joined on its next assignment check).
    /// </summary>
    public async Task<Dictionary<string, List<string>>> SettledPlacementAsync(TimeSpan stable, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var since = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            var placement = await PlacementAsync(A, B);
            var key = string.Join(";", placement.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + string.Join(",", p.Value)));
            if (placement.Values.Any(nodes => nodes.Count > 1))
            {
                throw new InvalidOperationException("A projection runs on two nodes at once: " + key);
            }

            if (key != last || placement.Values.Any(nodes => nodes.Count != 1))
            {
                last = key;
                since.Restart();
            }
            else if (since.Elapsed >= stable)
            {
                return placement;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The projections did not settle on one node each within {timeout}: {key}");
            }

            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        A.Http.Dispose();
        B.Http.Dispose();
        await A.Node.DisposeAsync();
        await B.Node.DisposeAsync();
    }
}
