using System.Diagnostics;
using System.Net.Http.Headers;
using EventStore.Audit;
using EventStore.Domain.MarketData;
using EventStore.Domain.Trading;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Audit;

/// <summary>The chain at a realistic size: 100,000 events appended, chained, exported over HTTP and verified as a stream.</summary>
[Collection(AppCollection.Name)]
public sealed class LargeExportTests(AppFixture app, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Events = 100_000;
    private const int Batch = 5_000;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.ResetLedgerAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_export_of_100_000_events_verifies_and_one_altered_event_among_them_is_named()
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var symbols = new[] { "AAPL", "MSFT", "NVDA", "SPY" };
        for (var appended = 0; appended < Events; appended += Batch)
        {
            await using var session = store.LightweightSession();
            for (var i = 0; i < Batch; i++)
            {
                var n = appended + i;
                var symbol = symbols[n % symbols.Length];
                var bid = 100m + (n % 1000) / 100m;
                session.Events.Append(TradingIds.QuotesOf(symbol), new QuoteReceived(Guid.CreateVersion7(), TradingIds.Instrument(symbol),
                    symbol, bid, bid + 0.01m, 100, 100, DateTimeOffset.UnixEpoch.AddSeconds(n), "bulk-test"));
            }

            await session.SaveChangesAsync();
        }

        var chaining = Stopwatch.StartNew();
        await app.CatchUpAsync();
        chaining.Stop();
        var admin = await new GraphQLClient(app.Host).LogInAsAdminAsync();

        var exporting = Stopwatch.StartNew();
        var result = await ExportAndVerifyStreamingAsync(admin);
        exporting.Stop();

        Assert.True(result.Ok, result.ToString());
        Assert.True(result.Events >= Events, result.ToString());
        output.WriteLine($"{result.Events} events: chained in {chaining.Elapsed.TotalSeconds:F1} s, exported and verified in {exporting.Elapsed.TotalSeconds:F1} s " +
            $"({result.Events / exporting.Elapsed.TotalSeconds:F0} events/s)");

        var victim = await app.ScalarAsync("select seq_id from eventstore.mt_events where type = 'quote_received' order by seq_id offset 54321 limit 1");
        await app.MaintenanceSqlAsync("test: alter a quote", $"update eventstore.mt_events set data = jsonb_set(data, '{{Bid}}', '1'::jsonb) where seq_id = {victim}");

        var tampered = await ExportAndVerifyStreamingAsync(admin);

        Assert.Equal((victim, Problems.Altered), (tampered.FailedSequence, tampered.Problem));
    }

    private async Task<VerificationResult> ExportAndVerifyStreamingAsync(string token)
    {
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/audit/export");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return await ChainVerifier.VerifyAsync(reader);
    }
}
