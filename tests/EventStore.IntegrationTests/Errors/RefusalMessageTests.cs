using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Errors;

/// <summary>
/// The words and codes callers get for refusals, pinned as they were before refusals became types (issue 17): taken
/// unique keys (by document type), reused client order ids and idempotency keys, insufficient funds, not found.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RefusalMessageTests(AppFixture app) : IAsyncLifetime
{
    private const string Deposit = "mutation($a: Decimal!, $k: String) { deposit(input: {amount: $a, idempotencyKey: $k}) { balance } }";
    private const string Withdraw = "mutation($a: Decimal!, $k: String) { withdraw(input: {amount: $a, idempotencyKey: $k}) { balance } }";
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static (int, string?, string?, string?) Refusal(GraphQLResponse response)
    {
        var error = Assert.Single(response.Errors);
        return (response.Status, error["extensions"]?["code"]?.GetValue<string>(), error["message"]?.GetValue<string>(),
            error["extensions"]?["reason"]?.GetValue<string>());
    }

    [Fact]
    public async Task a_taken_username_or_email_is_a_conflict_worded_as_before()
    {
        (await _client.RegisterAsync("dave")).Ok("register");
        var (_, token) = await _client.RegisterAndLogInAsync("rachel");

        Assert.Equal((200, "CONFLICT", "This already exists.", null), Refusal(await _client.RegisterAsync("DAVE", "other-dave@example.com")));
        Assert.Equal((200, "CONFLICT", "This already exists.", null), Refusal(await _client.RegisterAsync("frank", "Dave@Example.com")));
        Assert.Equal((200, "CONFLICT", "This already exists.", null),
            Refusal(await _client.SendAsync("mutation { changeEmail(input: {email: \"DAVE@example.com\"}) { email } }", token: token)));
    }

    [Fact]
    public async Task a_reused_client_order_id_is_a_conflict_whether_sequential_or_concurrent()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("coid-trader");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(token, "same-id", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder");
        const string used = "This client order id was already used for another order.";

        Assert.Equal((200, "CONFLICT", used, null), Refusal(await _client.PlaceAsync(token, "same-id", "BUY", "LIMIT", 1, 91.00m)));
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _client.PlaceAsync(token, "race-id", "BUY", "LIMIT", 1, 90.00m)));
        Assert.Single(racing, r => r.Errors.Count == 0);
        Assert.All(racing.Where(r => r.Errors.Count > 0), r => Assert.Equal((200, "CONFLICT", used, null), Refusal(r)));
    }

    [Fact]
    public async Task funding_refusals_keep_their_code_reason_and_words()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("funding-refusals");
        (await _client.SendAsync(Deposit, new { a = 10m, k = "same-key" }, token)).Ok("deposit");

        Assert.Equal((200, "CONFLICT", "Cannot withdraw 50: available 10 (balance 10, reserved by open orders 0).", "INSUFFICIENT_FUNDS"),
            Refusal(await _client.SendAsync(Withdraw, new { a = 50m, k = "wd-big" }, token)));
        Assert.Equal((200, "CONFLICT", "This idempotency key was already used for a different request.", null),
            Refusal(await _client.SendAsync(Deposit, new { a = 11m, k = "same-key" }, token)));
        Assert.Equal((200, "NOT_FOUND", "Order not found.", null),
            Refusal(await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { status } } }",
                new { id = Guid.NewGuid() }, token)));
    }
}
