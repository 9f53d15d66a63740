using System.Collections.Concurrent;
using System.Diagnostics;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Trading;

/// <summary>
/// How many times one command goes to PostgreSQL and waits (docs/performance.md#round-trips-per-command): every command
/// or batch Npgsql executes for one GraphQL request, counted on Npgsql's own ActivitySource ("Npgsql") and told apart
/// from the app's background work (daemon, durability agent) by the request's trace id, sent as a W3C traceparent.
/// A batch is one round trip whatever the number of statements in it; the COMMIT that ends the transaction is one more
/// round trip that Npgsql does not trace. The budgets are the measured counts: the test fails when a change adds one.
/// Never timing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RoundTripBudgetTests(AppFixture app, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Load the account (its snapshot row and the stream version, one batch), then append + snapshot + commit (one batch).</summary>
    public const int DepositBudget = 2;

    /// <summary>
    /// Measured for a market buy that fills at once against the latest quote: instrument, quote, account, position and
    /// personal-data key (one batch), the client order id claim (it needs the key), commit (one batch); the answer is the
    /// order as decided, not read back. docs/performance.md lists them.
    /// </summary>
    public const int MarketOrderBudget = 3;

    private const string DepositMutation = "mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance availableCash } }";

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_deposit_goes_to_the_database_twice_and_answers_the_balance_it_decided()
    {
        using var counter = new NpgsqlCommandCounter();
        var client = new GraphQLClient(app.Host);
        var (_, token) = await client.RegisterAndLogInAsync("round-trip-depositor");
        await client.DepositAsync(token, 10m); // opens the account; the first use of each statement is not measured

        for (var i = 1; i <= 3; i++)
        {
            var (response, commands) = await counter.CountAsync(app, c => c.SendAsync(DepositMutation, new { a = 1.25m }, token));
            var deposit = response.Ok("deposit");
            Assert.Equal(10m + (i * 1.25m), deposit["balance"]!.GetValue<decimal>());
            Report("deposit", commands);
            var own = CommandsOnly(commands);
            Assert.True(own.Count <= DepositBudget,
                $"A deposit took {own.Count} round trips, the budget is {DepositBudget}:\n{string.Join("\n", commands)}");
        }
    }

    [Fact]
    public async Task a_market_order_stays_within_its_round_trip_budget()
    {
        using var counter = new NpgsqlCommandCounter();
        var client = new GraphQLClient(app.Host);
        var (_, token) = await client.RegisterAndLogInAsync("round-trip-trader");
        await client.DepositAsync(token, 100_000m);
        await app.QuoteAsync("AAPL", 99m, 101m);
        (await client.PlaceAsync(token, "warm-up", "BUY", "MARKET", 1)).Ok("placeOrder");

        for (var i = 1; i <= 3; i++)
        {
            var (response, commands) = await counter.CountAsync(app,
                c => c.PlaceAsync(token, $"measured-{i}", "BUY", "MARKET", 1));
            Assert.Equal("FILLED", response.Ok("placeOrder")["order"]!["status"]!.GetValue<string>());
            Report("market order", commands);
            var own = CommandsOnly(commands);
            Assert.True(own.Count <= MarketOrderBudget,
                $"A market order took {own.Count} round trips, the budget is {MarketOrderBudget}:\n{string.Join("\n", commands)}");
        }
    }

    /// <summary>
    /// The command's own round trips: the request's session check (<c>SessionGuard</c>, one batch reading the user's
    /// security row and live sessions) is left out. It is served from the node's cache and reads the database only when
    /// the entry is missing, for example just after a security notification about this user evicted it, which on a loaded
    /// machine can arrive after the warm-up request. It may cost one round trip, never more.
    /// </summary>
    private static List<string> CommandsOnly(IReadOnlyList<string> commands)
    {
        var sessionChecks = commands.Count(c => c.Contains("mt_doc_usersecurity", StringComparison.Ordinal));
        Assert.True(sessionChecks <= 1, $"The session check took {sessionChecks} round trips:\n{string.Join("\n", commands)}");
        return commands.Where(c => !c.Contains("mt_doc_usersecurity", StringComparison.Ordinal)).ToList();
    }

    private void Report(string what, IReadOnlyList<string> commands)
    {
        output.WriteLine($"{what}: {commands.Count} round trips");
        foreach (var command in commands)
        {
            output.WriteLine("  " + command);
        }
    }

    /// <summary>Listens to Npgsql's and ASP.NET Core's activities; the latter so that the request's trace id reaches the commands.</summary>
    private sealed class NpgsqlCommandCounter : IDisposable
    {
        private readonly ConcurrentQueue<(ActivityTraceId Trace, string Text)> _commands = new();
        private readonly ActivityListener _listener;

        public NpgsqlCommandCounter()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is "Npgsql" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = a =>
                {
                    if (a.Source.Name == "Npgsql")
                    {
                        var text = a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement") ?? a.DisplayName;
                        _commands.Enqueue((a.TraceId, OneLine(text?.ToString() ?? "")));
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>Sends one request under a trace id of its own and returns the commands executed under it, in order.</summary>
        public async Task<(GraphQLResponse Response, IReadOnlyList<string> Commands)> CountAsync(AppFixture app,
            Func<GraphQLClient, Task<GraphQLResponse>> send)
        {
            var trace = ActivityTraceId.CreateRandom();
            var traceparent = $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
            var client = new GraphQLClient(() => new HttpClient(new TraceParentHandler(traceparent, app.Host.Server.CreateHandler()))
            {
                BaseAddress = app.Host.Server.BaseAddress,
            });
            var response = await send(client);
            return (response, [.. _commands.Where(c => c.Trace == trace).Select(c => c.Text)]);
        }

        public void Dispose() => _listener.Dispose();

        private static string OneLine(string sql)
        {
            var line = string.Join(' ', sql.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
            return line.Length > 240 ? line[..240] + "…" : line;
        }
    }

    private sealed class TraceParentHandler(string traceparent, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("traceparent", traceparent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
