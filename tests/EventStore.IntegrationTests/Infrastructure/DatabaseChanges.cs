using Npgsql;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>
/// Tells a test when the app's asynchronous work has moved in a fixture's database: an event appended to
/// <c>mt_events</c> (by a command, a cascaded handler, the market-data pump, another node), a message of Wolverine's
/// durable inbox received or handled, or one of its durable outbox stored or sent (the row is deleted once the transport
/// has it). PostgreSQL's LISTEN/NOTIFY carries it: statement triggers on those tables call
/// <c>pg_notify</c>, which PostgreSQL delivers when the writing transaction commits, so a waiter that re-checks on a
/// notification sees the committed rows. Test scaffolding only: the app never installs or reads these triggers.
/// </summary>
public sealed class DatabaseChanges : IAsyncDisposable
{
    private const string Channel = "eventstore_tests_changes";
    private const string Function = "public.eventstore_tests_announce_change";
    private const string Trigger = "eventstore_tests_announce_change";
    private const int MaxReconnects = 5;

    private readonly string _connectionString;
    private readonly CancellationTokenSource _stop = new();
    private Task _listening = Task.CompletedTask;

    private DatabaseChanges(string connectionString) => _connectionString = connectionString;

    /// <summary>Raised at every commit that appended events or changed the inbox or the outbox, and when the listening connection was replaced.</summary>
    public Signal Changed { get; } = new();

    /// <summary>
    /// Installs the triggers (as the owner: <paramref name="connectionString"/>) on the tables that exist now, so call it
    /// once the app has created its schema, and starts listening.
    /// </summary>
    public static async Task<DatabaseChanges> ListenAsync(string connectionString)
    {
        await InstallAsync(connectionString);
        var changes = new DatabaseChanges(connectionString);
        var listening = await changes.ConnectAsync();
        changes._listening = changes.ListenAsync(listening);
        return changes;
    }

    /// <summary>Until <paramref name="condition"/> holds, re-checked after each change; a <see cref="TimeoutException"/> otherwise.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure) =>
        Changed.WaitUntilAsync(condition, timeout, failure);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening;
        _stop.Dispose();
    }

    private static async Task InstallAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var find = new NpgsqlCommand("""
            select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
            where table_name in ('mt_events', 'wolverine_incoming_envelopes', 'wolverine_outgoing_envelopes') and table_type = 'BASE TABLE'
            """, connection))
        await using (var reader = await find.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.True(tables.Count > 0, "No mt_events or wolverine_incoming_envelopes table to watch: has the app created its schema?");
        var ddl = $"""
            create or replace function {Function}() returns trigger language plpgsql as $$
            begin
              perform pg_notify('{Channel}', tg_table_name);
              return null;
            end $$;
            """ + string.Concat(tables.Select(table => $"""

            drop trigger if exists {Trigger} on {table};
            create trigger {Trigger} after insert or update or delete on {table}
              for each statement execute function {Function}();
            """));
        await using var install = new NpgsqlCommand(ddl, connection);
        await install.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(_stop.Token);
        connection.Notification += (_, _) => Changed.Raise();
        await using var listen = new NpgsqlCommand($"listen {Channel}", connection);
        await listen.ExecuteNonQueryAsync(_stop.Token);
        return connection;
    }

    /// <summary>
    /// Delivers notifications until disposal. A dropped connection is replaced (what changed meanwhile was not heard,
    /// so waiters are told to re-check), a few times at most; then waiters time out with their own message.
    /// </summary>
    private async Task ListenAsync(NpgsqlConnection? connection)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                connection ??= await ConnectAsync();
                await using (connection)
                {
                    while (true)
                    {
                        await connection.WaitAsync(_stop.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
            {
                connection = null;
                Changed.Raise();
                if (++failures > MaxReconnects)
                {
                    return;
                }
            }
        }
    }
}
