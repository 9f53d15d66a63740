using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using Npgsql;

namespace EventStore.IntegrationTests.Database;

/// <summary>
/// The event log is append-only in the database itself (docs/security.md#the-database-defends-the-log): connected as the
/// owner, UPDATE, DELETE and TRUNCATE of `mt_events` are refused by the guard triggers unless the maintenance switch is on,
/// and every change made with it is logged. Real PostgreSQL, the app's own schema.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EventLogGuardTests(AppFixture app) : IAsyncLifetime
{
    private long _sequence;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _sequence = await app.ScalarAsync("select max(seq_id) from eventstore.mt_events");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task as_the_owner_an_update_of_an_event_is_refused()
    {
        var before = await DataAsync();

        var refused = await Db.RefusedAsync(app.ConnectionString, $"update eventstore.mt_events set data = '{{}}' where seq_id = {_sequence}");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await DataAsync());
    }

    [Fact]
    public async Task as_the_owner_a_delete_of_an_event_is_refused()
    {
        var refused = await Db.RefusedAsync(app.ConnectionString, $"delete from eventstore.mt_events where seq_id = {_sequence}");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(1, await app.ScalarAsync($"select count(*) from eventstore.mt_events where seq_id = {_sequence}"));
    }

    [Fact]
    public async Task as_the_owner_truncating_the_events_table_is_refused()
    {
        var count = await app.ScalarAsync("select count(*) from eventstore.mt_events");

        var refused = await Db.RefusedAsync(app.ConnectionString, "truncate eventstore.mt_events cascade");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(count, await app.ScalarAsync("select count(*) from eventstore.mt_events"));
    }

    [Fact]
    public async Task as_the_owner_deleting_a_stream_cannot_take_its_events_with_it()
    {
        var stream = await Db.ScalarAsync<Guid>(app.ConnectionString, $"select stream_id from eventstore.mt_events where seq_id = {_sequence}");

        var refused = await Db.RefusedAsync(app.ConnectionString, $"delete from eventstore.mt_streams where id = '{stream}'");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(1, await app.ScalarAsync($"select count(*) from eventstore.mt_events where seq_id = {_sequence}"));
    }

    [Fact]
    public async Task the_maintenance_switch_counts_only_for_the_owner()
    {
        await using var connection = new NpgsqlConnection(app.ServingConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var on = new NpgsqlCommand($"select set_config('{MaintenanceMode.Setting}', 'let me in', true)", connection, transaction);
        await on.ExecuteNonQueryAsync();
        await using var update = new NpgsqlCommand($"update eventstore.mt_events set data = '{{}}' where seq_id = {_sequence}", connection, transaction);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task with_the_maintenance_switch_the_owner_may_update_an_event_and_the_change_is_logged()
    {
        var logged = await app.ScalarAsync("select count(*) from eventstore_admin.maintenance_log");
        var warnings = new List<string>();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        connection.Notice += (_, e) => warnings.Add($"{e.Notice.Severity}: {e.Notice.MessageText}");
        await connection.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var on = new NpgsqlCommand($"set local {MaintenanceMode.Setting} = 'ticket 42: redact a test value'", connection, transaction);
            await on.ExecuteNonQueryAsync();
            await using var update = new NpgsqlCommand(
                $"update eventstore.mt_events set data = data || '{{\"redacted\": true}}' where seq_id = {_sequence}", connection, transaction);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
            await transaction.CommitAsync();
        }

        Assert.Contains("true", await DataAsync(), StringComparison.Ordinal);
        Assert.Equal(logged + 1, await app.ScalarAsync("select count(*) from eventstore_admin.maintenance_log"));
        await using var entry = new NpgsqlCommand(
            "select reason, operation, table_name, seq_id, login, old_row->'data' ? 'redacted', new_row->'data'->>'redacted' " +
            "from eventstore_admin.maintenance_log order by id desc limit 1", connection);
        await using var reader = await entry.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("ticket 42: redact a test value", "UPDATE", "eventstore.mt_events", _sequence),
            (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        Assert.Equal(new NpgsqlConnectionStringBuilder(app.ConnectionString).Username, reader.GetString(4));
        Assert.Equal((false, "true"), (reader.GetBoolean(5), reader.GetString(6)));
        // RAISE WARNING: the client sees it, and the server writes it to its log (log_min_messages is WARNING by default).
        Assert.Contains(warnings, w => w.StartsWith("WARNING: eventstore maintenance: UPDATE of eventstore.mt_events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_maintenance_log_cannot_be_rewritten()
    {
        await app.MaintenanceSqlAsync("test: make a log entry", $"update eventstore.mt_events set data = data where seq_id = {_sequence}");

        var refused = await Db.RefusedAsync(app.ConnectionString, "delete from eventstore_admin.maintenance_log");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task a_disabled_guard_is_enabled_again_at_the_next_start()
    {
        await Db.ExecuteAsync(app.ConnectionString, "alter table eventstore.mt_events disable trigger events_append_only");
        await using (var second = await app.StartSecondNodeAsync())
        {
            Assert.Equal("A", await Db.ScalarAsync<string>(app.ConnectionString,
                "select tgenabled::text from pg_trigger where tgrelid = 'eventstore.mt_events'::regclass and tgname = 'events_append_only'"));
        }
    }

    private Task<string> DataAsync() => Db.ScalarAsync<string>(app.ConnectionString, $"select data::text from eventstore.mt_events where seq_id = {_sequence}");
}
