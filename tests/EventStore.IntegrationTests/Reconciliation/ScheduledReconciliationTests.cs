using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Alba;
using EventStore.Api.Reconciliation;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventStore.IntegrationTests.Reconciliation;

/// <summary>
/// The schedule on a second node of the fixture's database (`Reconciliation:Interval` one second): its runs are observed
/// through the metric it publishes (meter `EventStore`), never by waiting for time to pass; readiness is read over HTTP
/// on both nodes, since the last run's result is shared through the database.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ScheduledReconciliationTests(AppFixture app) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => app.ForgetRunsAsync();

    [Fact]
    public async Task a_scheduled_run_that_finds_a_tampered_row_makes_readiness_degraded_until_a_clean_run()
    {
        var rows = await app.TradeAsync(_client, "recon.schedule");
        await using var node = await app.StartSecondNodeAsync(("Reconciliation:Interval", "00:00:01"));
        using var runs = new ScheduledRuns(node);

        await app.TamperAsync("mt_doc_cashaccountview", rows.AccountId, "Balance", "123456");
        var mismatches = await runs.NextAsync("mismatches");

        Assert.Equal(1, mismatches.Mismatches[("CashAccountView", "field_mismatch")]);
        Assert.Equal("Degraded", await ReadinessAsync(node));
        Assert.Equal("Degraded", await ReadinessAsync(app.Host)); // another node: the result lives in the database

        await app.TamperAsync("mt_doc_cashaccountview", rows.AccountId, "Balance", "8999.00");
        await runs.NextAsync("clean");

        Assert.Equal("Healthy", await ReadinessAsync(node));
        Assert.Equal("Healthy", await ReadinessAsync(app.Host));
    }

    [Fact]
    public async Task a_scheduled_run_stands_down_while_another_node_holds_the_lock()
    {
        await app.TradeAsync(_client, "recon.lock");
        await using var holder = new NpgsqlConnection(app.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"select pg_advisory_lock({ReconciliationRunner.AdvisoryLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        await using var node = await app.StartSecondNodeAsync(("Reconciliation:Interval", "00:00:01"));
        using var runs = new ScheduledRuns(node);

        await runs.NextAsync("busy");
        var refused = await _client.SendAsync(ReconciliationScenarios.Reconcile, null, await _client.LogInAsAdminAsync());
        Assert.Equal(["CONFLICT"], refused.Codes); // the admin's run waits its turn too

        await using (var release = new NpgsqlCommand($"select pg_advisory_unlock({ReconciliationRunner.AdvisoryLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        await runs.NextAsync("clean");
    }

    private static async Task<string> ReadinessAsync(IAlbaHost host)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(200);
        });
        // The first line is the overall status; the lines after it name the checks that are not Healthy.
        return (await result.ReadAsTextAsync()).Split('\n')[0];
    }

    /// <summary>The node's `eventstore.reconciliation.*` measurements, scheduled runs only, in order.</summary>
    private sealed class ScheduledRuns : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Channel<ScheduledRun> _runs = Channel.CreateUnbounded<ScheduledRun>();
        private Dictionary<(string, string), long> _mismatches = [];

        public ScheduledRuns(IAlbaHost node)
        {
            var scope = node.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == scope && instrument.Name.StartsWith("eventstore.reconciliation.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var tag = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString() ?? "");
                lock (_runs)
                {
                    if (instrument.Name == "eventstore.reconciliation.mismatches")
                    {
                        _mismatches[(tag["read_model"], tag["kind"])] = value;
                    }
                    else if (tag["trigger"] == "schedule")
                    {
                        _runs.Writer.TryWrite(new ScheduledRun(tag["outcome"], _mismatches));
                        _mismatches = [];
                    }
                }
            });
            _listener.Start();
        }

        /// <summary>The next scheduled run with this outcome (earlier ones, e.g. clean runs before a tamper, are passed over).</summary>
        public async Task<ScheduledRun> NextAsync(string outcome)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (true)
            {
                var run = await _runs.Reader.ReadAsync(timeout.Token);
                if (run.Outcome == outcome)
                {
                    return run;
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed record ScheduledRun(string Outcome, IReadOnlyDictionary<(string ReadModel, string Kind), long> Mismatches);
}
