using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Npgsql;

namespace EventStore.IntegrationTests.Reconciliation;

/// <summary>
/// `reconcileReadModels` over HTTP on real PostgreSQL: trades go through the API, the daemon projects them, then rows
/// are changed by SQL behind its back and the mutation must name exactly what was changed.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReconciliationTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => app.ForgetRunsAsync();

    [Fact]
    public async Task a_clean_store_reports_no_mismatch()
    {
        await app.TradeAsync(_client, "recon.clean");

        var report = await _client.ReconcileAsync();

        Assert.Equal(0, report["mismatchCount"]!.GetValue<int>());
        Assert.Empty(report.Mismatches());
        var models = report["readModels"]!.AsArray().ToDictionary(m => m!.Str("readModel"), m => m!);
        Assert.Equal(["CashAccountView", "PositionView", "OrderView"], models.Keys);
        Assert.All(models.Values, m => Assert.Equal(1, m!["streamsChecked"]!.GetValue<int>()));
        Assert.All(models.Values, m => Assert.Equal(1, m!["rowsChecked"]!.GetValue<int>()));
        Assert.All(models.Values, m => Assert.True(m!["processedThrough"]!.GetValue<long>() > 0));
    }

    [Fact]
    public async Task a_balance_changed_by_sql_is_reported_as_that_row_and_field()
    {
        var rows = await app.TradeAsync(_client, "recon.cash");
        await app.TradeAsync(_client, "recon.bystander"); // a second, untouched account must not show up

        await app.TamperAsync("mt_doc_cashaccountview", rows.AccountId, "Balance", "1000000");

        var report = await _client.ReconcileAsync();
        var mismatch = Assert.Single(report.Mismatches());
        Assert.Equal("FIELD_MISMATCH", mismatch.Str("kind"));
        Assert.Equal("CashAccountView", mismatch.Str("readModel"));
        Assert.Equal(rows.AccountId.ToString(), mismatch.Str("id"));
        Assert.Equal("Balance", mismatch.Str("field"));
        Assert.Equal(8_999.00m, decimal.Parse(mismatch.Str("expected"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1000000", mismatch.Str("actual"));
        Assert.Equal(1, report["mismatchCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_changed_position_quantity_and_order_status_are_reported()
    {
        var rows = await app.TradeAsync(_client, "recon.pos");

        await app.TamperAsync("mt_doc_positionview", rows.PositionId, "Quantity", "250");
        await app.TamperAsync("mt_doc_orderview", rows.OrderId, "Status", "\"Cancelled\"");

        var mismatches = (await _client.ReconcileAsync()).Mismatches();
        Assert.Equal(2, mismatches.Count);
        var position = Assert.Single(mismatches, m => m.Str("readModel") == "PositionView");
        Assert.Equal(("FIELD_MISMATCH", rows.PositionId.ToString(), "Quantity", "10", "250"),
            (position.Str("kind"), position.Str("id"), position.Str("field"), position.Str("expected"), position.Str("actual")));
        var order = Assert.Single(mismatches, m => m.Str("readModel") == "OrderView");
        Assert.Equal(("FIELD_MISMATCH", rows.OrderId.ToString(), "Status", "\"Filled\"", "\"Cancelled\""),
            (order.Str("kind"), order.Str("id"), order.Str("field"), order.Str("expected"), order.Str("actual")));
    }

    [Fact]
    public async Task a_deleted_row_is_missing_and_a_row_without_events_is_extra()
    {
        var rows = await app.TradeAsync(_client, "recon.rows");
        var planted = Guid.CreateVersion7();

        await app.SqlAsync($"delete from eventstore.mt_doc_orderview where id = '{rows.OrderId}'");
        await app.SqlAsync($$"""
            insert into eventstore.mt_doc_positionview (id, data, user_id)
            select '{{planted}}', jsonb_set(data, '{Id}', '"{{planted}}"'), user_id from eventstore.mt_doc_positionview where id = '{{rows.PositionId}}'
            """);

        var report = await _client.ReconcileAsync();
        Assert.Equal(2, report["mismatchCount"]!.GetValue<int>());
        var missing = Assert.Single(report.Mismatches(), m => m.Str("kind") == "MISSING_ROW");
        Assert.Equal(("OrderView", rows.OrderId.ToString()), (missing.Str("readModel"), missing.Str("id")));
        Assert.StartsWith($"{{\"Id\":\"{rows.OrderId}\"", missing.Str("expected"), StringComparison.Ordinal); // the document the row should hold
        var extra = Assert.Single(report.Mismatches(), m => m.Str("kind") == "EXTRA_ROW");
        Assert.Equal(("PositionView", planted.ToString()), (extra.Str("readModel"), extra.Str("id")));
    }

    [Fact]
    public async Task an_owner_column_moved_to_another_user_is_reported()
    {
        // Served reads filter orders by the duplicated user_id column, not by the JSON: moving it hands the order over.
        var rows = await app.TradeAsync(_client, "recon.owner");
        var (thief, _) = await _client.RegisterAndLogInAsync("recon.thief");

        await app.SqlAsync($"update eventstore.mt_doc_orderview set user_id = '{thief}' where id = '{rows.OrderId}'");

        var mismatch = Assert.Single((await _client.ReconcileAsync()).Mismatches());
        Assert.Equal(("OrderView", "user_id", $"\"{rows.UserId}\"", $"\"{thief}\""),
            (mismatch.Str("readModel"), mismatch.Str("field"), mismatch.Str("expected"), mismatch.Str("actual")));
    }

    [Fact]
    public async Task events_the_projection_has_not_processed_yet_are_not_compared()
    {
        var rows = await app.TradeAsync(_client, "recon.lag");
        var (_, newcomer) = await _client.RegisterAndLogInAsync("recon.lag.new");
        // Make the cash projection lag for real: its next batch (rows and progress, one transaction) waits on this lock.
        await using var blocker = new NpgsqlConnection(app.ConnectionString);
        await blocker.OpenAsync();
        await using (var transaction = await blocker.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand(
                "select last_seq_id from eventstore.mt_event_progression where name = 'CashAccountView:All' for update", blocker, transaction))
            {
                Assert.NotNull(await hold.ExecuteScalarAsync());
            }

            // Not projected yet: a deposit the first account's row does not show, and a second account with no row.
            await _client.DepositAsync(rows.Token, 250m);
            await _client.DepositAsync(newcomer, 500m);

            var report = await _client.ReconcileAsync();

            Assert.Equal(0, report["mismatchCount"]!.GetValue<int>());
            var cash = report["readModels"]!.AsArray().Single(m => m!.Str("readModel") == "CashAccountView")!;
            Assert.Equal(1, cash["streamsChecked"]!.GetValue<int>());
            Assert.True(cash["processedThrough"]!.GetValue<long>() < (await app.AllEventsAsync()).Max(e => e.Sequence));
            await transaction.RollbackAsync();
        }

        await app.WaitForProjectionsAsync();
        var caughtUp = await _client.ReconcileAsync();
        Assert.Equal(0, caughtUp["mismatchCount"]!.GetValue<int>());
        Assert.Equal(2, caughtUp["readModels"]!.AsArray().Single(m => m!.Str("readModel") == "CashAccountView")!["streamsChecked"]!
            .GetValue<int>());
    }

    [Fact]
    public async Task only_admins_may_reconcile()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("recon.trader");
        var (_, auditor) = await _client.RegisterWithRoleAsync("recon.auditor", "AUDITOR");

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(ReconciliationScenarios.Reconcile)).Codes);
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync(ReconciliationScenarios.Reconcile, null, trader)).Codes);
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync(ReconciliationScenarios.Reconcile, null, auditor)).Codes);
    }
}
