using EventStore.Api.Database;
using EventStore.Projections.Analytics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventStore.Api.Analytics;

/// <summary>
/// Creates (or updates) the read-only role for analysts' SQL when `Analytics:ReaderPassword` is set: it may connect and
/// SELECT from `analytics.*` (today's and future tables), nothing else; its sessions are read-only by default too. It
/// gets no privilege on the `eventstore` schema, so events, documents and personal data stay out of reach. Runs after
/// Marten has created the tables; idempotent, and safe when several nodes start at once. Runs as the owner (it needs
/// CREATEROLE, which the serving role never has).
/// </summary>
public sealed class AnalystRoleSetup(
    PostgresConnectionSource postgres, IOptions<AnalyticsOptions> options, ILogger<AnalystRoleSetup> logger) : StartupTask
{
    public override async Task StartedAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.ReaderPassword))
        {
            logger.LogInformation("Analytics:ReaderPassword is not set: no read-only analytics role is managed");
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyAsync(o.ReaderRole, o.ReaderPassword, cancellationToken);
                logger.LogInformation("Read-only role {Role} may read {Schema}.*", o.ReaderRole, AnalyticsTables.Schema);
                return;
            }
            catch (PostgresException e) when (attempt < 5 && e.SqlState is PostgresErrorCodes.DuplicateObject
                or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.InternalError or PostgresErrorCodes.SerializationFailure)
            {
                // Another node (or test host) created or altered the role at the same moment ("tuple concurrently updated").
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
    }

    private async Task ApplyAsync(string role, string password, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.OwnerConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select exists (select from pg_roles where rolname = @role)", connection);
        exists.Parameters.AddWithValue("role", role);
        var create = !(bool)(await exists.ExecuteScalarAsync(ct))!;

        // DDL takes no parameters: format() quotes the identifier (%I) and the password literal (%L) server-side. The password
        // goes in as a SCRAM verifier when it can, so a server that logs DDL does not log it.
        await using var statements = new NpgsqlCommand(
            $"""
            select unnest(array[
              format('{(create ? "create" : "alter")} role %I with login nosuperuser nocreatedb nocreaterole noinherit password %L', @role, @password),
              format('alter role %I set default_transaction_read_only = on', @role),
              format('grant connect on database %I to %I', current_database(), @role),
              format('grant usage on schema {AnalyticsTables.Schema} to %I', @role),
              format('grant select on all tables in schema {AnalyticsTables.Schema} to %I', @role),
              format('alter default privileges in schema {AnalyticsTables.Schema} grant select on tables to %I', @role)])
            """, connection);
        statements.Parameters.AddWithValue("role", role);
        statements.Parameters.AddWithValue("password", ScramVerifier.ForAlterRole(password));
        var sql = new List<string>();
        await using (var reader = await statements.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                sql.Add(reader.GetString(0));
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var statement in sql)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }
}
