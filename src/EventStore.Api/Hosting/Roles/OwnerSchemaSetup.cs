using EventStore.Api.Auditing;
using EventStore.Api.Database;
using JasperFx;
using Marten;
using Marten.Storage;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Wolverine.Persistence.Durability;

namespace EventStore.Api.Hosting.Roles;

/// <summary>
/// Every schema change, under the owner connection, before any other hosted service starts (StartingAsync): Marten's
/// tables and functions (what ApplyAllDatabaseChangesOnStartup would do), Wolverine's envelope and node tables, the audit
/// ledger, the event log's guard triggers, and the serving role's grants. Then it checks, as the serving role, that the
/// app is about to serve with least privilege. The serving side builds nothing (Marten: AutoCreate.None; Wolverine:
/// AutoBuildMessageStorageOnStartup = None, so it only checks its tables are there). Nodes take turns (an advisory lock).
/// The owner's connections are closed when this is done: the running app holds none.
/// </summary>
public sealed class OwnerSchemaSetup(
    IServiceProvider services, PostgresConnectionSource postgres, ILoggerFactory loggers) : IHostedLifecycleService
{
    private readonly ILogger logger = loggers.CreateLogger<OwnerSchemaSetup>();

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Provisions the serving role (through its own owner connection and the same lock) before this pass takes the lock.
        var servingConnectionString = postgres.ConnectionString;
        var store = (DocumentStore)services.GetRequiredService<IDocumentStore>();

        await using var connection = new NpgsqlConnection(postgres.OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await AdminSchema.LockAsync(connection, cancellationToken);
        try
        {
            await using (var marten = new MartenDatabase(store.Options, NpgsqlDataSource.Create(postgres.OwnerConnectionString), "owner"))
            {
                await marten.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate, ct: cancellationToken);
            }

            await using (var appender = new NpgsqlCommand(Domain.Commits.KnownStreamAppender.Ddl(store.Options.Events.DatabaseSchemaName), connection))
            {
                await appender.ExecuteNonQueryAsync(cancellationToken);
            }

            await MigrateMessageStoreAsync(connection, cancellationToken);
            await LedgerSchema.EnsureAsync(connection, cancellationToken);
            await AdminSchema.EnsureAsync(connection, cancellationToken);
            await EventLogGuard.InstallAsync(connection, logger, cancellationToken);
            await ServingGrants.ApplyAsync(connection, postgres.ServingRole, cancellationToken);
            // Still under the lock, before any handler runs: streams older than the write models' inline snapshots get theirs.
            await WriteModelSnapshots.BackfillAsync(store, logger, cancellationToken);
        }
        finally
        {
            await AdminSchema.UnlockAsync(connection);
        }

        await ServingGrants.VerifyAsync(servingConnectionString, cancellationToken);
        logger.LogInformation("Schema up to date as the owner; serving as the least-privilege role {Role}", postgres.ServingRole);
    }

    /// <summary>
    /// Wolverine's tables: the schema objects of the very message store the runtime will use (WolverineFx.Marten builds it
    /// from this store), diffed and applied through the owner connection. The serving runtime then only checks they exist.
    /// </summary>
    private async Task MigrateMessageStoreAsync(NpgsqlConnection owner, CancellationToken ct)
    {
        if (services.GetRequiredService<IMessageStore>() is not DatabaseBase<NpgsqlConnection> messages)
        {
            return; // no database-backed message store configured
        }

        var migrator = new PostgresqlMigrator();
        var migration = await SchemaMigration.DetermineAsync(owner, migrator, ct, messages.AllObjects().ToArray());
        await migrator.ApplyAllAsync(owner, migration, AutoCreate.CreateOrUpdate, ct: ct);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
