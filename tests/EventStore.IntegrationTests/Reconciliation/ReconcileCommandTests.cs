using System.Diagnostics;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Reconciliation;

/// <summary>
/// The `reconcile` command as an operator runs it: the app's own entry point (`dotnet EventStore.Api.dll reconcile`) in
/// a process of its own, configured by environment variables for the fixture's database.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReconcileCommandTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => app.ForgetRunsAsync();

    [Fact]
    public async Task the_command_exits_0_on_a_clean_store_and_non_zero_listing_a_tampered_row()
    {
        var rows = await app.TradeAsync(_client, "recon.cli");

        var clean = await RunAsync("reconcile");
        Assert.True(clean.ExitCode == 0, clean.Output);
        Assert.Contains("0 mismatches", clean.Output, StringComparison.Ordinal);

        await app.TamperAsync("mt_doc_cashaccountview", rows.AccountId, "Balance", "0.01");
        var tampered = await RunAsync("reconcile");

        Assert.True(tampered.ExitCode == 1, tampered.Output);
        Assert.Contains($"FIELD_MISMATCH CashAccountView {rows.AccountId:D} Balance: expected 8999.00, actual 0.01", tampered.Output,
            StringComparison.Ordinal);
        Assert.Contains("1 mismatches", tampered.Output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var workDirectory = Directory.CreateTempSubdirectory("eventstore-cli-");
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EventStore.Api.dll"), .. arguments])
            {
                WorkingDirectory = workDirectory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ConnectionStrings__Postgres"] = app.ConnectionString,
                    ["Jwt__SigningKey"] = AppFixture.SigningKey,
                    ["PersonalData__KeyEncryptionKey"] = AppFixture.PersonalDataKey,
                    ["Analytics__PseudonymKey"] = AppFixture.AnalyticsPseudonymKey,
                    ["MarketData__Enabled"] = "false",
                    ["Logging__LogLevel__Default"] = "Warning",
                },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }
}
