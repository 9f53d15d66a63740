using System.Text.RegularExpressions;
using EventStore.Domain.Commits;
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
    /// <summary>
    /// Append + snapshot (one batch), then the commit. The group committer remembers the account it committed last (its
    /// state and the stream's version): it decides on that without loading it, and the append's expected version is
    /// the check (docs/performance.md#group-commit). An account it does not remember costs one load batch more
    /// (<see cref="FirstDepositOnANodeBudget"/>).
    /// </summary>
    public const int DepositBudget = 1;

    /// <summary>The account's version and snapshot row (one batch), then append + snapshot (one batch).</summary>
    public const int FirstDepositOnANodeBudget = 2;

    /// <summary>
    /// Measured for a market buy that fills at once against the latest quote: instrument, quote, account, position and
    /// personal-data key (one batch), the client order id claim (it needs the key), commit (one batch); the answer is the
    /// order as decided, not read back. docs/performance.md lists them.
    /// </summary>
    public const int MarketOrderBudget = 3;

    /// <summary>
    /// Measured for a resting limit buy: the order (version, snapshot row and its events), the caller's account and
    /// personal-data key (one batch); the position on the order's symbol; the open-order index row (Marten's inline
    /// projection loads it before changing it); commit (one batch). The answer is the order as decided, not read back
    /// (7 before: three loads one after the other, the index row, the commit, and two to read the order back).
    /// </summary>
    public const int CancelOrderBudget = 4;

    /// <summary>As <see cref="CancelOrderBudget"/>, with the instrument read beside the position (8 before: one more load).</summary>
    public const int AmendOrderBudget = 4;

    private const string DepositMutation = "mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance availableCash } }";

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_deposit_goes_to_the_database_once_and_answers_the_balance_it_decided()
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
            var own = NpgsqlCommandCounter.WithoutSessionCheck(commands);
            Assert.True(own.Count <= DepositBudget,
                $"A deposit took {own.Count} round trips, the budget is {DepositBudget}:\n{string.Join("\n", commands)}");
            // On an account the committer remembers, that one round trip is the append and its commit: one call outside
            // any explicit transaction (KnownStreamAppender.AppendStatement), so no COMMIT follows it.
            Assert.StartsWith("with appended as ( insert into eventstore.mt_events", Regex.Replace(Assert.Single(own), @"\s+", " "), StringComparison.Ordinal);
        }

        // A deposit under an idempotency key commits in its handler's own session: the committer forgets the account
        // (StreamAppendWatch), so the next deposit loads it again instead of failing on the version it remembered.
        var keyed = await client.SendAsync("mutation($a: Decimal!, $k: String!) { deposit(input: {amount: $a, idempotencyKey: $k}) { balance } }",
            new { a = 2m, k = "round-trip-key" }, token);
        Assert.Equal(15.75m, keyed.Ok("deposit")["balance"]!.GetValue<decimal>());
        var (after, loaded) = await counter.CountAsync(app, c => c.SendAsync(DepositMutation, new { a = 1m }, token));
        Assert.Equal(16.75m, after.Ok("deposit")["balance"]!.GetValue<decimal>());
        Report("deposit after another session's append", loaded);
        var reloaded = NpgsqlCommandCounter.WithoutSessionCheck(loaded);
        Assert.True(reloaded.Count <= FirstDepositOnANodeBudget,
            $"A deposit on a forgotten account took {reloaded.Count} round trips, the budget is {FirstDepositOnANodeBudget}:\n{string.Join("\n", loaded)}");
        // Loaded, not remembered: Marten reads the account's snapshot (kept by the daemon) and the events after it in a
        // read-only transaction of their own.
        Assert.Contains(reloaded, c => c.Contains("repeatable read read only", StringComparison.Ordinal));
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
            var own = NpgsqlCommandCounter.WithoutSessionCheck(commands);
            Assert.True(own.Count <= MarketOrderBudget,
                $"A market order took {own.Count} round trips, the budget is {MarketOrderBudget}:\n{string.Join("\n", commands)}");
        }
    }

    [Fact]
    public async Task cancelling_and_amending_an_order_stay_within_their_round_trip_budgets()
    {
        using var counter = new NpgsqlCommandCounter();
        var client = new GraphQLClient(app.Host);
        var (_, token) = await client.RegisterAndLogInAsync("round-trip-changer");
        await client.DepositAsync(token, 100_000m);
        await app.QuoteAsync("AAPL", 99m, 101m);
        await AmendAsync(client, token, await RestingAsync(client, token, "warm-up-amend"), 4); // first use of each statement
        await CancelAsync(client, token, await RestingAsync(client, token, "warm-up-cancel"));

        for (var i = 1; i <= 3; i++)
        {
            var id = await RestingAsync(client, token, $"measured-{i}");

            var (amended, amendCommands) = await counter.CountAsync(app, c => AmendAsync(c, token, id, 5 - i));
            Assert.Equal(5m - i, amended.Ok("amendOrder")["order"]!.Dec("quantity"));
            Report("amendOrder", amendCommands);
            var amend = NpgsqlCommandCounter.WithoutSessionCheck(amendCommands);
            Assert.True(amend.Count <= AmendOrderBudget,
                $"An amend took {amend.Count} round trips, the budget is {AmendOrderBudget}:\n{string.Join("\n", amendCommands)}");

            var (cancelled, cancelCommands) = await counter.CountAsync(app, c => CancelAsync(c, token, id));
            Assert.Equal("CANCELLED", cancelled.Ok("cancelOrder")["order"]!.Str("status"));
            Report("cancelOrder", cancelCommands);
            var cancel = NpgsqlCommandCounter.WithoutSessionCheck(cancelCommands);
            Assert.True(cancel.Count <= CancelOrderBudget,
                $"A cancel took {cancel.Count} round trips, the budget is {CancelOrderBudget}:\n{string.Join("\n", cancelCommands)}");
        }
    }

    private static async Task<string> RestingAsync(GraphQLClient client, string token, string clientOrderId) =>
        (await client.PlaceAsync(token, clientOrderId, "BUY", "LIMIT", 5, 90.00m)).Ok("placeOrder")["order"]!.Str("id");

    private static Task<GraphQLResponse> AmendAsync(GraphQLClient client, string token, string id, decimal quantity) =>
        client.SendAsync($"mutation($id: ID!, $q: Decimal!) {{ amendOrder(input: {{orderId: $id, quantity: $q, limitPrice: 91.00}}) {{ order {{ {TradingScenarios.OrderFields} clientOrderId history {{ event }} }} }} }}",
            new { id, q = quantity }, token);

    private static Task<GraphQLResponse> CancelAsync(GraphQLClient client, string token, string id) =>
        client.SendAsync($"mutation($id: ID!) {{ cancelOrder(input: {{orderId: $id}}) {{ order {{ {TradingScenarios.OrderFields} clientOrderId history {{ event }} }} }} }}",
            new { id }, token);

    private void Report(string what, IReadOnlyList<string> commands)
    {
        output.WriteLine($"{what}: {commands.Count} round trips");
        foreach (var command in commands)
        {
            output.WriteLine("  " + command);
        }
    }
}
