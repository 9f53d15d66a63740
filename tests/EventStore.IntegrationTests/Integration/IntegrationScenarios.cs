using System.Globalization;
using System.Text.Json.Nodes;
using Alba;
using EventStore.Domain.MarketData;
using EventStore.IntegrationTests.Infrastructure;
using Npgsql;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.Integration;

public static class IntegrationScenarios
{
    public static Task QuoteAsync(this IAlbaHost host, string symbol, decimal bid, decimal ask) =>
        host.InvokeMessageAndWaitAsync(new RecordQuote(new Quote(symbol, bid, ask, 1000, 1000, DateTimeOffset.UtcNow, "test")));

    public static async Task<JsonArray> NotificationsAsync(this GraphQLClient client, string token) =>
        (await client.SendAsync("{ notifications(first: 50) { edges { node { id kind title subjectId isRead deliveredBy } } } }",
            token: token)).Ok("notifications")["edges"]!.AsArray();

    /// <summary>
    /// Integration events cross a queue (local or Kafka) before a handler creates the notification, and the daemon then
    /// projects it: re-read after each commit that appended events (<paramref name="changes"/>), once the projections
    /// have caught up, until <paramref name="done"/> holds (60 s at most; then the last list, for the test's assertion
    /// to name).
    /// </summary>
    public static async Task<JsonArray> NotificationsWhenAsync(this GraphQLClient client, string token, DatabaseChanges changes,
        Func<Task> waitForProjections, Func<JsonArray, bool> done)
    {
        var list = new JsonArray();
        await changes.Changed.TryWaitUntilAsync(async () =>
        {
            await waitForProjections();
            list = await client.NotificationsAsync(token);
            return done(list);
        }, TimeSpan.FromSeconds(60));
        return list;
    }

    /// <summary>
    /// For a failure message: every row waiting in Wolverine's durable outbox (any schema) with its destination, owner
    /// node (0: any node may recover it), send attempts and expiry, so a test that times out says where its messages are.
    /// </summary>
    public static async Task<string> OutboxReportAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var schemas = await OutboxSchemasAsync(connection);

        var rows = new List<string>();
        foreach (var schema in schemas)
        {
            await using var select = new NpgsqlCommand(
                $"select destination, owner_id, coalesce(attempts, 0), deliver_by, message_type from \"{schema}\".wolverine_outgoing_envelopes "
                + "order by destination, message_type", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{reader.GetString(0)} owner={reader.GetInt32(1)} attempts={reader.GetInt32(2)} deliverBy={(reader.IsDBNull(3) ? "-" : reader.GetFieldValue<DateTimeOffset>(3).ToString("O", CultureInfo.InvariantCulture))} {reader.GetString(4)}"));
            }
        }

        return $"{rows.Count} outbox row(s)" + string.Concat(rows.Select(r => "\n  " + r));
    }

    /// <summary>Rows waiting in Wolverine's durable outbox (any schema).</summary>
    public static async Task<long> OutboxCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var schemas = await OutboxSchemasAsync(connection);

        long total = 0;
        foreach (var schema in schemas)
        {
            await using var count = new NpgsqlCommand($"select count(*) from \"{schema}\".wolverine_outgoing_envelopes", connection);
            total += (long)(await count.ExecuteScalarAsync())!;
        }

        return total;
    }

    private static async Task<List<string>> OutboxSchemasAsync(NpgsqlConnection connection)
    {
        await using var find = new NpgsqlCommand(
            "select table_schema from information_schema.tables where table_name = 'wolverine_outgoing_envelopes'", connection);
        var schemas = new List<string>();
        await using var reader = await find.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            schemas.Add(reader.GetString(0));
        }

        return schemas;
    }
}
