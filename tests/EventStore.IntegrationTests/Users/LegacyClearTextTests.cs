using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Users;

/// <summary>
/// Data written before client order ids, idempotency keys and room names were sealed (docs/events.md#fields-sealed-after-they-shipped):
/// it is simulated here by writing the old shapes straight into the tables, as a database from before the change holds them.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LegacyClearTextTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_order_event_with_its_client_order_id_in_clear_still_reads_and_is_forgotten_on_erasure()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("legacy.trader");
        await _client.DepositAsync(token, 10_000m);
        var order = (await _client.PlaceAsync(token, "new-style-1", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder")["order"]!.Str("id");
        await app.WaitForProjectionsAsync();
        // The old shape: the client order id as a plain JSON string in the stored event.
        await app.MaintenanceSqlAsync("test: an event of the old shape", $"update eventstore.mt_events set data = jsonb_set(data, '{{ClientOrderId}}', '\"old-style-1\"') "
            + $"where stream_id = '{order}' and type = 'order_placed'");
        var admin = await _client.LogInAsAdminAsync();

        await RebuildAsync("OrderView", admin);

        Assert.Equal("old-style-1", await ClientOrderIdAsync(order, token));
        await EraseAsync(userId, admin);
        Assert.Null(await StoredClientOrderIdAsync(order));
        await RebuildAsync("OrderView", admin); // the owner's key is gone: a rebuild does not bring the old text back
        Assert.Null(await StoredClientOrderIdAsync(order));
    }

    [Fact]
    public async Task claims_with_the_id_in_clear_still_refuse_a_reuse_and_are_deleted_on_erasure()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("legacy.claims");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Insert(new ClientOrderIdClaim { Id = ClientOrderIdClaim.LegacyKeyFor(userId, "old-claim-1"), OrderId = Guid.NewGuid() });
            session.Insert(new FundingRequestClaim { Id = FundingRequestClaim.LegacyKeyFor(userId, "old-key-1"), Kind = "deposit", Amount = 5m });
            await session.SaveChangesAsync();
        }

        var reused = await _client.PlaceAsync(token, "old-claim-1", "BUY", "LIMIT", 1, 90.00m);
        var replayed = (await _client.SendAsync("mutation { deposit(input: {amount: 5, idempotencyKey: \"old-key-1\"}) { balance } }", null, token))
            .Ok("deposit");

        Assert.Equal(["CONFLICT"], reused.Codes);
        Assert.Equal(10_000m, replayed.Dec("balance")); // recognised as applied already: nothing deposited again
        await EraseAsync(userId, await _client.LogInAsAdminAsync()); // in the erasure's own transaction
        Assert.Equal(0, await app.ScalarAsync(
            $"select count(*) from eventstore.mt_doc_clientorderidclaim where id like '{userId:N}/%'")
            + await app.ScalarAsync($"select count(*) from eventstore.mt_doc_fundingrequestclaim where id like '{userId:N}/%'"));
    }

    private async Task RebuildAsync(string projection, string admin)
    {
        (await _client.SendAsync("mutation($name: String!) { rebuildProjection(name: $name) { name } }", new { name = projection }, admin))
            .Ok("rebuildProjection");
        await app.WaitForProjectionsAsync();
    }

    private async Task<string?> ClientOrderIdAsync(string order, string token) =>
        (await _client.SendAsync("query($id: ID!) { order(id: $id) { clientOrderId } }", new { id = order }, token))
        .Ok("order")["clientOrderId"]?.GetValue<string>();

    private async Task<string?> StoredClientOrderIdAsync(string order) =>
        (await app.ScalarListAsync($"select coalesce(data ->> 'ClientOrderId', '(null)') from eventstore.mt_doc_orderview where id = '{order}'"))
        .Single() is var value && value == "(null)" ? null : value;

    private async Task EraseAsync(Guid userId, string admin)
    {
        (await _client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }", new { id = userId }, admin)).Ok("eraseUser");
        await app.WaitForProjectionsAsync();
    }
}
