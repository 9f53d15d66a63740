using EventStore.Domain.Trading.Accounts;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Trading;

/// <summary>Deposits and withdrawals sent again under the same idempotency key (a client that lost the answer) apply once.</summary>
[Collection(AppCollection.Name)]
public sealed class FundingIdempotencyTests(AppFixture app) : IAsyncLifetime
{
    private const string Deposit = "mutation($a: Decimal!, $k: String) { deposit(input: {amount: $a, idempotencyKey: $k}) { balance } }";
    private const string Withdraw = "mutation($a: Decimal!, $k: String) { withdraw(input: {amount: $a, idempotencyKey: $k}) { balance } }";
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_deposit_and_a_withdrawal_sent_twice_under_their_keys_are_applied_once_and_answer_the_same()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("retrying-client");

        var first = (await _client.SendAsync(Deposit, new { a = 100.50m, k = "dep-1" }, token)).Ok("deposit");
        var again = (await _client.SendAsync(Deposit, new { a = 100.50m, k = "dep-1" }, token)).Ok("deposit");
        (await _client.SendAsync(Withdraw, new { a = 40m, k = "wd-1" }, token)).Ok("withdraw");
        var withdrawnAgain = (await _client.SendAsync(Withdraw, new { a = 40m, k = "wd-1" }, token)).Ok("withdraw");

        Assert.Equal(100.50m, first["balance"]!.GetValue<decimal>());
        Assert.Equal(100.50m, again["balance"]!.GetValue<decimal>());
        Assert.Equal(60.50m, withdrawnAgain["balance"]!.GetValue<decimal>());
        var events = await app.AllEventsAsync();
        Assert.Single(events, e => e.Data is CashDeposited);
        Assert.Single(events, e => e.Data is CashWithdrawn);
    }

    [Fact]
    public async Task a_key_reused_for_a_different_request_is_a_conflict_and_appends_nothing()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("key-reuser");
        (await _client.SendAsync(Deposit, new { a = 10m, k = "same-key" }, token)).Ok("deposit");
        var before = (await app.AllEventsAsync()).Count;

        var otherAmount = await _client.SendAsync(Deposit, new { a = 11m, k = "same-key" }, token);
        var otherKind = await _client.SendAsync(Withdraw, new { a = 10m, k = "same-key" }, token);

        Assert.Equal(["CONFLICT"], otherAmount.Codes);
        Assert.Equal(["CONFLICT"], otherKind.Codes);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task keys_belong_to_their_user_a_refused_withdrawal_claims_nothing_and_a_bad_key_is_a_validation_error()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("key-alice");
        var (_, bob) = await _client.RegisterAndLogInAsync("key-bob");
        (await _client.SendAsync(Deposit, new { a = 5m, k = "k-1" }, alice)).Ok("deposit");
        (await _client.SendAsync(Deposit, new { a = 7m, k = "k-1" }, bob)).Ok("deposit"); // bob's own key space

        var refused = await _client.SendAsync(Withdraw, new { a = 50m, k = "wd-big" }, alice);
        (await _client.SendAsync(Deposit, new { a = 100m }, alice)).Ok("deposit");
        var retried = (await _client.SendAsync(Withdraw, new { a = 50m, k = "wd-big" }, alice)).Ok("withdraw");
        var bad = await _client.SendAsync(Deposit, new { a = 1m, k = "no spaces allowed" }, alice);

        Assert.Equal(["CONFLICT"], refused.Codes); // insufficient funds: the key stays free
        Assert.Equal(55m, retried["balance"]!.GetValue<decimal>());
        Assert.Equal(["VALIDATION"], bad.Codes);
        Assert.Equal("input.idempotencyKey", bad.Errors[0]["extensions"]!["field"]!.GetValue<string>());
        Assert.Equal(3, (await app.AllEventsAsync()).Count(e => e.Data is CashDeposited));
    }
}
