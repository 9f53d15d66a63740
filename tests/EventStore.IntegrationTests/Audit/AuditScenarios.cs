using System.Net.Http.Headers;
using EventStore.Api.Auditing;
using EventStore.Audit;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventStore.IntegrationTests.Audit;

/// <summary>Drives the ledger deterministically and talks to the audit endpoints as an auditor's tools would.</summary>
public static class AuditScenarios
{
    public static AuditLedger Ledger(this AppFixture app) => app.Host.Services.GetRequiredService<AuditLedger>();

    /// <summary>
    /// A fresh chain for a test that starts from reset data: the ledger is the app's, not Marten's, so Marten's reset leaves
    /// it alone. Emptied under the ledger's own advisory lock, so the background builder never sees half of it.
    /// </summary>
    public static async Task ResetLedgerAsync(this AppFixture app)
    {
        await app.SqlAsync($"begin; select pg_advisory_xact_lock({LedgerSchema.AdvisoryLockKey}); truncate eventstore.audit_ledger, eventstore.audit_checkpoints; commit;");
    }

    /// <summary>Chains up to the newest event (the ledger stops at Marten's high-water mark, which the daemon moves).</summary>
    public static async Task CatchUpAsync(this AppFixture app)
    {
        await app.WaitForProjectionsAsync();
        var newest = await app.ScalarAsync("select coalesce(max(seq_id), 0) from eventstore.mt_events");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await app.Ledger().CatchUpAsync(CancellationToken.None);
            var head = await app.ScalarAsync("select coalesce(max(seq_id), 0) from eventstore.audit_ledger");
            if (head >= newest)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the ledger stayed at {head}, the log is at {newest}");
            await Task.Yield();
        }
    }

    public static async Task<(int Status, string Body)> GetAsync(this AppFixture app, string url, string? token)
    {
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<VerificationResult> ExportAndVerifyAsync(this AppFixture app, string token, Checkpoint? checkpoint = null,
        System.Security.Cryptography.ECDsa? publicKey = null)
    {
        var (status, body) = await app.GetAsync("/audit/export", token);
        Assert.Equal(200, status);
        return await ChainVerifier.VerifyAsync(new StringReader(body), checkpoint, publicKey);
    }

    public static async Task SqlAsync(this AppFixture app, string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every Marten document table (read models and write-side documents), in name order.</summary>
    public static Task<IReadOnlyList<string>> DocumentTablesAsync(this AppFixture app) => app.ScalarListAsync(
        "select table_name from information_schema.tables where table_schema = 'eventstore' and table_name like 'mt_doc_%' order by 1");

    public static async Task<IReadOnlyList<string>> ScalarListAsync(this AppFixture app, string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public static async Task<long> ScalarAsync(this AppFixture app, string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The sequence number of the n-th (1-based) domain event, tombstones left out.</summary>
    public static Task<long> NthEventAsync(this AppFixture app, int n) =>
        app.ScalarAsync($"select seq_id from eventstore.mt_events where type <> 'tombstone' order by seq_id offset {n - 1} limit 1");
}
