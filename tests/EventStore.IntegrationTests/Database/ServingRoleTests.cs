using EventStore.Api.Database;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core.Migrations;
using Wolverine.Runtime;

namespace EventStore.IntegrationTests.Database;

/// <summary>
/// The app serves as a least-privilege login role (docs/operations.md#database-roles): not a superuser, owns nothing, may not
/// rewrite the log nor run DDL, and still does everything the app does (the whole suite runs under it).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ServingRoleTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);
    private long _sequence;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _sequence = await app.ScalarAsync("select max(seq_id) from eventstore.mt_events");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string Role => new NpgsqlConnectionStringBuilder(app.ServingConnectionString).Username!;

    [Fact]
    public async Task the_apps_connections_log_in_as_the_serving_role_which_is_not_a_superuser()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("connection-counter");
        await _client.DepositAsync(token, 10m);
        await app.WaitForProjectionsAsync();

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select a.application_name, a.usename, r.rolsuper, r.rolcreaterole, r.rolcreatedb
            from pg_stat_activity a join pg_roles r on r.oid = a.usesysid
            where a.datname = current_database() and a.application_name like 'EventStore%'
            """, connection);
        var sessions = new List<(string Application, string User, bool Super, bool CreateRole, bool CreateDb)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                sessions.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4)));
            }
        }

        Assert.NotEmpty(sessions);
        // Every session of the app is the serving role's: the owner's start-up connections are all closed.
        Assert.All(sessions, s => Assert.Equal((PostgresConnectionSource.ServingApplicationName, Role, false, false, false), s));
    }

    [Fact]
    public async Task the_serving_role_is_this_databases_own_login_role_and_owns_nothing()
    {
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        Assert.Equal(database + "_app", Role);

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select r.rolcanlogin, r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolreplication or r.rolbypassrls,
                   (select count(*) from pg_auth_members m where m.member = r.oid),
                   (select count(*) from pg_class c where c.relowner = r.oid) + (select count(*) from pg_namespace n where n.nspowner = r.oid)
                       + (select count(*) from pg_proc p where p.proowner = r.oid)
            from pg_roles r where r.rolname = @role
            """, connection);
        command.Parameters.AddWithValue("role", Role);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((true, false, 0L, 0L), (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt64(3)));
    }

    [Fact]
    public async Task as_the_serving_role_an_update_of_an_event_is_refused()
    {
        // The finding of issue 15 (item 3): the app connected as the superuser, and nothing stopped this statement.
        var refused = await Db.RefusedAsync(app.ServingConnectionString, $"update eventstore.mt_events set data = '{{}}' where seq_id = {_sequence}");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.NotEqual("{}", await Db.ScalarAsync<string>(app.ConnectionString, $"select data::text from eventstore.mt_events where seq_id = {_sequence}"));
    }

    [Theory]
    [InlineData("delete from eventstore.mt_events where seq_id = (select max(seq_id) from eventstore.mt_events)")]
    [InlineData("truncate eventstore.mt_events cascade")]
    [InlineData("update eventstore.mt_events set user_name = 'someone-else'")]
    [InlineData("delete from eventstore.mt_streams")]
    [InlineData("truncate eventstore.mt_streams cascade")]
    [InlineData("update eventstore.audit_ledger set hash = prev_hash")]
    [InlineData("delete from eventstore.audit_checkpoints")]
    [InlineData("select * from eventstore_admin.maintenance_log")]
    [InlineData("select * from eventstore_admin.serving_credentials")]
    public async Task the_serving_role_cannot_rewrite_the_log_nor_read_the_owners_tables(string sql)
    {
        var refused = await Db.RefusedAsync(app.ServingConnectionString, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [InlineData("create table eventstore.intruder (id int)")]
    [InlineData("create table analytics.intruder (id int)")]
    [InlineData("alter table eventstore.mt_events add column intruder int")]
    [InlineData("alter table eventstore.mt_events disable trigger events_append_only")]
    [InlineData("drop table eventstore.mt_doc_useraccount")]
    [InlineData("create or replace function eventstore.mt_mark_event_progression(name varchar, last_encountered bigint) returns void language sql as 'select 1'")]
    [InlineData("create index intruder on eventstore.mt_events (type)")]
    [InlineData("comment on table eventstore.mt_events is 'mine now'")]
    [InlineData("create role intruder login superuser")]
    [InlineData("create database intruder")]
    public async Task the_serving_role_cannot_run_ddl(string sql)
    {
        var refused = await Db.RefusedAsync(app.ServingConnectionString, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task the_serving_role_may_archive_a_stream_which_flips_only_the_archive_flag()
    {
        var stream = await Db.ScalarAsync<Guid>(app.ConnectionString, $"select stream_id from eventstore.mt_events where seq_id = {_sequence}");
        var before = await Db.ScalarAsync<string>(app.ConnectionString, $"select data::text from eventstore.mt_events where seq_id = {_sequence}");

        await using (var session = app.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.ArchiveStream(stream);
            await session.SaveChangesAsync();
        }

        Assert.Equal(0, await app.ScalarAsync($"select count(*) from eventstore.mt_events where stream_id = '{stream}' and not is_archived"));
        Assert.Equal(before, await Db.ScalarAsync<string>(app.ConnectionString, $"select data::text from eventstore.mt_events where seq_id = {_sequence}"));
    }

    [Fact]
    public async Task wolverine_finds_its_tables_as_built_by_the_owner_when_looking_as_the_serving_role()
    {
        // The owner migrated the runtime's own message store objects; seen through the serving role they match exactly.
        // (Marten's side has no such check: Marten also knows types it met lazily, such as live-aggregated write models,
        // whose tables are never needed. Every document the app stores is registered up front, so the owner builds it.)
        var messages = (DatabaseBase<NpgsqlConnection>)app.Host.Services.GetRequiredService<IWolverineRuntime>().Storage;
        await using var connection = new NpgsqlConnection(app.ServingConnectionString);
        await connection.OpenAsync();
        var migration = await Weasel.Core.SchemaMigration.DetermineAsync(connection, CancellationToken.None, messages.AllObjects().ToArray());
        Assert.Equal(Weasel.Core.SchemaPatchDifference.None, migration.Difference);
    }
}
