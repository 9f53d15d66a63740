using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Alba;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Limits;

/// <summary>
/// The per-request bulkhead (issue 16: 200 aliased `search` fields opened enough connections to exhaust PostgreSQL's 100
/// and other users' requests failed). A node on a database of its own, so its connection pool is its own; Npgsql's
/// `db.client.commands.executing` counter (pushed on every command start and end, no polling) gives the pool's busy count.
/// </summary>
public sealed class BulkheadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cap = 3;

    /// <summary>
    /// Others sharing the pool meanwhile: the other client's query (1), and the node's own background work (Wolverine's
    /// durability agent, up to 2). Without the bulkhead the 200 searches alone would take up to the pool's 100.
    /// </summary>
    private const int Others = 3;

    private IAlbaHost _node = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync("es_bulkhead");
        _database = new Npgsql.NpgsqlConnectionStringBuilder(database).Database!;
        _node = await AppFixture.StartNodeAsync(database,
            ("MarketData:Enabled", "false"),
            ("EventStore:RunProjections", "false"),
            ("Reconciliation:Interval", "00:00:00"),
            ("GraphQL:AnonymousRequestsPerMinute", "0"),
            ("GraphQL:RequestsPerMinutePerUser", "0"),
            ("GraphQL:MaxAliases", "300"),
            ("GraphQL:MaxFields", "5000"),
            ("GraphQL:MaxConcurrentResolversPerRequest", Cap.ToString(CultureInfo.InvariantCulture)));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task two_hundred_aliased_searches_take_at_most_the_cap_of_pooled_connections_and_others_are_served_meanwhile()
    {
        var client = new GraphQLClient(_node);
        var (_, searcher) = await client.RegisterAndLogInAsync("bulkhead-searcher");
        var (_, other) = await client.RegisterAndLogInAsync("bulkhead-other");
        using var busy = new BusyConnections(_database);

        var query = "{ " + string.Join(" ", Enumerable.Range(0, 200).Select(i => $"s{i}: search(query: \"apple {i}\") {{ edges {{ cursor }} }}")) + " }";
        var big = client.SendAsync(query, token: searcher);
        await busy.Started.WaitAsync(TimeSpan.FromSeconds(60));
        var meanwhile = await client.SendAsync("{ me { username } }", token: other);
        var bigWasRunning = !big.IsCompleted;
        var reply = await big;

        output.WriteLine($"peak busy connections {busy.Peak} (pools seen: {string.Join(" | ", busy.Pools)}); "
            + $"other client's query answered while the big one ran: {bigWasRunning}");
        Assert.Equal("bulkhead-other", meanwhile.Ok("me").Str("username"));
        Assert.Empty(reply.Errors);
        Assert.Equal(200, reply.Data!.AsObject().Count(x => x.Value is not null));
        Assert.InRange(busy.Peak, 1, Cap + Others);
    }

    /// <summary>
    /// Commands executing at once in the node's pools (Npgsql names a pool after its connection string, which names the
    /// node's own database: other tests running meanwhile on other databases are left out), and the highest count seen.
    /// </summary>
    private sealed class BusyConnections : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, int> _byPool = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _peak;

        public BusyConnections(string database)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.commands.executing")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, delta, tags, _) =>
            {
                var pool = "";
                foreach (var tag in tags)
                {
                    if (tag.Key.Contains("pool", StringComparison.Ordinal))
                    {
                        pool = tag.Value?.ToString() ?? "";
                    }
                }

                if (!pool.Contains(database, StringComparison.Ordinal))
                {
                    return;
                }

                var now = _byPool.AddOrUpdate(pool, delta, (_, count) => count + delta);
                int seen;
                while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
                {
                }

                if (now >= 2)
                {
                    _started.TrySetResult();
                }
            });
            _listener.Start();
        }

        public int Peak => Volatile.Read(ref _peak);

        public IEnumerable<string> Pools => _byPool.Keys.Select(x => System.Text.RegularExpressions.Regex.Replace(x, "Password=[^;]*", "Password=***"));

        public Task Started => _started.Task;

        public void Dispose() => _listener.Dispose();
    }
}
