using System.Globalization;
using System.Text;
using EventStore.Projections.Analytics;
using Npgsql;

namespace EventStore.Api.Database;

/// <summary>
/// The serving role's privileges, re-stated at every start (one transaction: revoke everything on each table, then grant
/// exactly what Marten 9 and Wolverine 6 run at request time). Owning nothing, it can run no DDL. On the log itself:
/// <list type="bullet">
/// <item>`mt_events`: SELECT, INSERT, and UPDATE of the `is_archived` column only (Marten's mt_archive_stream). No DELETE or
/// TRUNCATE; the guard trigger refuses anything else for the owner too (<see cref="EventLogGuard"/>).</item>
/// <item>`mt_streams`: SELECT, INSERT, UPDATE (every append to an existing stream moves its version and timestamp;
/// archiving sets is_archived). No DELETE or TRUNCATE: deleting a stream row would cascade into its events.</item>
/// <item>The audit ledger and its checkpoints: SELECT, INSERT (the chain only grows).</item>
/// </list>
/// Everything else in `eventstore` and `analytics` (documents and read models, the daemon's progression, search, Wolverine's
/// envelope and node tables) gets SELECT, INSERT, UPDATE, DELETE and TRUNCATE: projection rebuilds truncate their tables.
/// Sequences: USAGE and SELECT (nextval, the daemon's high-water reads), no setval. Functions are executable by PUBLIC
/// (PostgreSQL's default) and run as the caller, so they add nothing.
/// </summary>
internal static class ServingGrants
{
    public static readonly string[] Schemas = [StoreSchema.Name, AnalyticsTables.Schema];

    private static readonly Dictionary<string, string> Restricted = new(StringComparer.Ordinal)
    {
        ["mt_events"] = "select, insert",
        ["mt_streams"] = "select, insert, update",
        ["audit_ledger"] = "select, insert",
        ["audit_checkpoints"] = "select, insert",
    };

    private const string ReadWrite = "select, insert, update, delete, truncate";

    public static async Task ApplyAsync(NpgsqlConnection owner, string role, CancellationToken ct)
    {
        var r = Quote(role);
        var sql = new StringBuilder();
        if (!await ScalarAsync<bool>(owner, "select has_database_privilege(@role, current_database(), 'CONNECT')", role, ct))
        {
            sql.Append(CultureInfo.InvariantCulture, $"grant connect on database {Quote(await ScalarAsync<string>(owner, "select current_database()", role, ct))} to {r};");
        }

        sql.Append(CultureInfo.InvariantCulture, $"revoke all on schema {AdminSchema.Name} from {r};");
        await using (var objects = new NpgsqlCommand(
            """
            select n.nspname, c.relname, c.relkind::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = any(@schemas) and c.relkind in ('r', 'p', 'S') order by 1, 2
            """, owner))
        {
            objects.Parameters.AddWithValue("schemas", Schemas);
            var schemas = new SortedSet<string>(StringComparer.Ordinal);
            await using var reader = await objects.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (schema, name, kind) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                schemas.Add(schema);
                var target = Quote(schema) + "." + Quote(name);
                if (kind == "S")
                {
                    sql.Append(CultureInfo.InvariantCulture, $"revoke all on sequence {target} from {r}; grant usage, select on sequence {target} to {r};");
                    continue;
                }

                var privileges = schema == StoreSchema.Name && Restricted.TryGetValue(name, out var restricted) ? restricted : ReadWrite;
                sql.Append(CultureInfo.InvariantCulture, $"revoke all on table {target} from {r}; grant {privileges} on table {target} to {r};");
                if (schema == StoreSchema.Name && name == "mt_events")
                {
                    sql.Append(CultureInfo.InvariantCulture, $"grant update (is_archived) on table {target} to {r};");
                }
            }

            foreach (var schema in schemas)
            {
                sql.Append(CultureInfo.InvariantCulture, $"revoke create on schema {Quote(schema)} from {r}; grant usage on schema {Quote(schema)} to {r};");
            }
        }

        await using var transaction = await owner.BeginTransactionAsync(ct);
        await using (var grant = new NpgsqlCommand(sql.ToString(), owner, transaction))
        {
            await grant.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Connects as the app will serve and refuses to go on when that login is a superuser, may create roles or databases,
    /// acts as the owner of the event log (membership), could rewrite events (UPDATE, DELETE or TRUNCATE on `mt_events`,
    /// for example through pg_write_all_data) or create objects in our schemas.
    /// </summary>
    public static async Task VerifyAsync(string servingConnectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(servingConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
                   pg_has_role(r.oid, c.relowner, 'MEMBER'),
                   has_table_privilege(r.oid, c.oid, 'UPDATE') or has_table_privilege(r.oid, c.oid, 'DELETE')
                       or has_table_privilege(r.oid, c.oid, 'TRUNCATE'),
                   exists (select from pg_namespace n where n.nspname = any(@schemas) and has_schema_privilege(r.oid, n.oid, 'CREATE'))
            from pg_roles r, pg_class c
            where r.rolname = current_user and c.oid = '{EventLogGuard.Events}'::regclass
            """, connection);
        command.Parameters.AddWithValue("schemas", Schemas);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var problems = new List<string>();
        void Check(int ordinal, string problem)
        {
            if (reader.GetBoolean(ordinal))
            {
                problems.Add(problem);
            }
        }

        Check(1, "is a superuser");
        Check(2, "has CREATEROLE");
        Check(3, "has CREATEDB");
        Check(4, "has REPLICATION");
        Check(5, "has BYPASSRLS");
        Check(6, "is (a member of) the owner of the event log");
        Check(7, $"may UPDATE, DELETE or TRUNCATE {EventLogGuard.Events} (a membership such as pg_write_all_data?)");
        Check(8, "may create objects in the app's schemas");
        if (problems.Count > 0)
        {
            throw new DatabaseRoleException(
                $"The app serves as '{reader.GetString(0)}', which {string.Join(", ", problems)}. Serve as a least-privilege role: unset " +
                $"ConnectionStrings:{ServingRoleSettings.ServingConnectionStringName} to let the app provision one, or fix that role " +
                "(docs/operations.md#database-roles).");
        }
    }

    /// <summary>A double-quoted identifier (embedded quotes doubled), as PostgreSQL's quote_ident writes it.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, string role, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("role", role);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
