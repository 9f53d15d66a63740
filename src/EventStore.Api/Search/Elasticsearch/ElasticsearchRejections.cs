using EventStore.Api.Database;
using EventStore.Api.Hosting;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// Documents Elasticsearch rejected for good (a bulk item with a status other than 2xx, 429 or 5xx), one row per
/// document, in `eventstore.search_index_rejections`: the indexer records it in the daemon's transaction with its
/// checkpoint and goes on with the rest. A later successful write of the same document (after a fix, an edit, or a
/// delete such as an erasure) removes the row, so the table lists what is missing from the index now, and nothing of
/// an erased user stays in it. Elasticsearch's reason can quote the document, so it is kept here, in the app's own
/// schema with the other personal data, and never logged.
/// </summary>
public static class ElasticsearchRejections
{
    public const string TableName = EventStoreSetup.SchemaName + ".search_index_rejections";

    public static Table Build()
    {
        var table = new Table(new PostgresqlObjectName(EventStoreSetup.SchemaName, "search_index_rejections", SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("doc_key").AsPrimaryKey();
        table.AddColumn<int>("status").NotNull();
        table.AddColumn<string>("error_type");
        table.AddColumn<string>("reason");
        table.AddColumn<long>("event_sequence").NotNull();
        table.AddColumn<int>("attempts").NotNull();
        table.AddColumn<DateTimeOffset>("rejected_at").NotNull();
        return table;
    }

    public static void Record(IDocumentOperations operations, BulkItemResult item, long eventSequence) =>
        operations.QueueSqlCommand(
            $"""
            insert into {TableName} (doc_key, status, error_type, reason, event_sequence, attempts, rejected_at)
            values (?, ?, ?, ?, ?, 1, now())
            on conflict (doc_key) do update set status = excluded.status, error_type = excluded.error_type,
              reason = excluded.reason, event_sequence = excluded.event_sequence,
              attempts = {TableName}.attempts + 1, rejected_at = excluded.rejected_at
            """,
            item.Action.Id, item.Status, (object?)item.ErrorType ?? DBNull.Value, (object?)item.ErrorReason ?? DBNull.Value, eventSequence);

    public static void Clear(IDocumentOperations operations, IEnumerable<string> writtenKeys)
    {
        var keys = writtenKeys.ToArray();
        if (keys.Length > 0)
        {
            operations.QueueSqlCommand($"delete from {TableName} where doc_key = any(?)", [keys]);
        }
    }
}

/// <summary>
/// Part of `/health/ready`: Degraded (still 200) while documents are missing from the index because Elasticsearch
/// rejected them; the description counts them and names the table.
/// </summary>
public sealed class ElasticsearchRejectionsHealthCheck(PostgresConnectionSource postgres) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                $"select count(*) from {ElasticsearchRejections.TableName}", connection);
            var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return count == 0
                ? HealthCheckResult.Healthy("No document rejected by Elasticsearch.")
                : HealthCheckResult.Degraded($"{count} search document(s) rejected by Elasticsearch; see {ElasticsearchRejections.TableName}.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // PostgreSQL (and its schema) is the event store check's business; this one has nothing to add.
            return HealthCheckResult.Healthy("Rejections unknown: PostgreSQL or the table is not there.");
        }
    }
}
