using System.Buffers.Text;
using System.Security.Cryptography;
using Npgsql;

namespace EventStore.Api.Database;

/// <summary>
/// Creates (or re-asserts) the least-privilege login role the app serves under, through the owner connection, which needs
/// CREATEROLE (the embedded server's superuser has it). The role gets LOGIN and nothing else: no SUPERUSER, CREATEDB,
/// CREATEROLE, no memberships; its table privileges are granted after the schema exists (<see cref="ServingGrants"/>).
/// Its password is `Postgres:ServingPassword`, or one generated once and kept in <see cref="AdminSchema.ServingCredentials"/>
/// so that every node of a cluster serves with the same one.
/// </summary>
internal static class ServingRoleProvisioner
{
    public static async Task<string> ProvisionAsync(string ownerConnectionString, ServingRoleSettings settings, ILogger logger, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        await AdminSchema.LockAsync(connection, ct);
        try
        {
            await AdminSchema.EnsureAsync(connection, ct);
            var password = settings.Password ?? await StoredPasswordAsync(connection, settings.Role, ct);
            var existing = await AttributesAsync(connection, settings.Role, ct);
            if (existing is { Super: true } or { Replication: true } or { BypassRls: true })
            {
                throw new DatabaseRoleException(
                    $"The role '{settings.Role}' exists and is a superuser, or has REPLICATION or BYPASSRLS: the app will not serve as it. " +
                    $"Drop or alter that role, or set {ServingRoleSettings.SectionName}:ServingRole to another name.");
            }

            // DDL takes no parameters: format() quotes the identifier (%I) and the verifier literal (%L) server-side.
            var statement = existing is null
                ? "create role %I with login nosuperuser nocreatedb nocreaterole noinherit password %L"
                : "alter role %I with login nocreatedb nocreaterole noinherit password %L";
            await using (var format = new NpgsqlCommand($"select format('{statement}', @role::text, @verifier::text)", connection))
            {
                format.Parameters.AddWithValue("role", settings.Role);
                format.Parameters.AddWithValue("verifier", ScramVerifier.ForAlterRole(password));
                var sql = (string)(await format.ExecuteScalarAsync(ct))!;
                await using var apply = new NpgsqlCommand(sql, connection);
                await apply.ExecuteNonQueryAsync(ct);
            }

            logger.LogInformation("Serving role {Role}: {Action}", settings.Role, existing is null ? "created" : "in place");
            return password;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new DatabaseRoleException(
                $"The owner connection (ConnectionStrings:Postgres) could not set up the serving role '{settings.Role}': {e.MessageText}. " +
                "It needs CREATEROLE (and ADMIN OPTION on that role if someone else created it) and CREATE on the database; or create " +
                $"a least-privilege login role yourself and set ConnectionStrings:{ServingRoleSettings.ServingConnectionStringName} " +
                "(docs/operations.md#database-roles).", e);
        }
        finally
        {
            await AdminSchema.UnlockAsync(connection);
        }
    }

    private static async Task<string> StoredPasswordAsync(NpgsqlConnection connection, string role, CancellationToken ct)
    {
        await using (var insert = new NpgsqlCommand(
            $"insert into {AdminSchema.ServingCredentials} (role, password) values (@role, @password) on conflict (role) do nothing", connection))
        {
            insert.Parameters.AddWithValue("role", role);
            insert.Parameters.AddWithValue("password", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using var select = new NpgsqlCommand($"select password from {AdminSchema.ServingCredentials} where role = @role", connection);
        select.Parameters.AddWithValue("role", role);
        return (string)(await select.ExecuteScalarAsync(ct))!;
    }

    private static async Task<RoleAttributes?> AttributesAsync(NpgsqlConnection connection, string role, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select rolsuper, rolreplication, rolbypassrls from pg_roles where rolname = @role", connection);
        command.Parameters.AddWithValue("role", role);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new RoleAttributes(reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2)) : null;
    }

    private sealed record RoleAttributes(bool Super, bool Replication, bool BypassRls);
}
