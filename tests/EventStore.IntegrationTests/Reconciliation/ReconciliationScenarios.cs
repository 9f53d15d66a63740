using System.Text.Json.Nodes;
using EventStore.Domain.Trading;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Reconciliation;

/// <summary>A trader (and token) with three read-model rows (cash account, AAPL position, one filled order) and their ids.</summary>
public sealed record TraderRows(Guid UserId, string Token, Guid AccountId, Guid PositionId, Guid OrderId);

public static class ReconciliationScenarios
{
    public const string Reconcile = """
        mutation { reconcileReadModels {
          streamsChecked rowsChecked mismatchCount truncated
          readModels { readModel processedThrough streamsChecked rowsChecked streamsSkipped missingRows extraRows fieldMismatches }
          mismatches { kind readModel id field expected actual } } }
        """;

    /// <summary>
    /// Through the API: register, deposit 10,000, buy 10 AAPL at market (ask 100.00, fee 1.00), then wait for the
    /// projections. Balance 8,999.00, position 10, order FILLED.
    /// </summary>
    public static async Task<TraderRows> TradeAsync(this AppFixture app, GraphQLClient client, string username)
    {
        var (userId, token) = await client.RegisterAndLogInAsync(username);
        await client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.98m, 100.00m);
        var order = (await client.PlaceAsync(token, username + "-1", "BUY", "MARKET", 10)).Ok("placeOrder")["order"]!;
        Assert.Equal("FILLED", order.Str("status"));
        await app.WaitForProjectionsAsync();
        return new TraderRows(userId, token, TradingIds.AccountOf(userId), TradingIds.PositionOf(userId, "AAPL"), Guid.Parse(order.Str("id")));
    }

    public static async Task<JsonNode> ReconcileAsync(this GraphQLClient client) =>
        (await client.SendAsync(Reconcile, null, await client.LogInAsAdminAsync())).Ok("reconcileReadModels");

    public static IReadOnlyList<JsonNode> Mismatches(this JsonNode report) => [.. report["mismatches"]!.AsArray().Select(m => m!)];

    /// <summary>Changes one top-level JSON field of a read-model row behind the projection's back, as a SQL user could.</summary>
    public static Task TamperAsync(this AppFixture app, string table, Guid id, string field, string json) =>
        app.SqlAsync($"update eventstore.{table} set data = jsonb_set(data, '{{{field}}}', '{json}') where id = '{id}'");

    /// <summary>Forgets the recorded runs, so readiness (checked by other tests of the collection) is as before.</summary>
    public static Task ForgetRunsAsync(this AppFixture app) => app.SqlAsync("delete from eventstore.mt_doc_reconciliationrecord");
}
