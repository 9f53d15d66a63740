using EventStore.Api.Hosting;
using Npgsql;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// Creates the index template and, if missing, the index, before the daemon starts (<see cref="IHostedLifecycleService.StartingAsync"/>
/// runs before any hosted service starts). When this node created the index, it deletes the indexer's checkpoint so
/// the indexer backfills the new index from the start of the log. If Elasticsearch is unreachable at start-up, the
/// app still starts; the indexer retries the set-up before its first page.
/// </summary>
public sealed class ElasticsearchIndexSetup(
    ElasticsearchClient client, PostgresConnectionSource postgres, ILogger<ElasticsearchIndexSetup> logger) : IHostedLifecycleService, IDisposable
{
    public static readonly TimeSpan StartupBudget = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _done;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Bounded: an unreachable cluster must not hold the whole app's start-up for the full retry budget.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(StartupBudget);
        try
        {
            await EnsureAsync(bounded.Token);
        }
        catch (Exception e) when (e is ElasticsearchException or HttpRequestException or Polly.Timeout.TimeoutRejectedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogError(e, "Elasticsearch set-up failed at start-up; the indexer will retry before indexing");
        }
    }

    public async Task EnsureAsync(CancellationToken ct)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_done)
            {
                return;
            }

            await client.PutIndexTemplateAsync(ct);
            if (!await client.IndexExistsAsync(ct) && await client.CreateIndexAsync(ct))
            {
                var reset = await ResetCheckpointAsync(ct);
                logger.LogWarning("Created Elasticsearch index {Index}; {Action}", client.Index,
                    reset ? "indexing the whole log again from the start" : "indexing the log from the start");
            }

            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes the indexer's progress row (if the table exists yet): its next page starts at sequence 1.</summary>
    private async Task<bool> ResetCheckpointAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand($"select to_regclass('{EventStoreSetup.SchemaName}.mt_event_progression') is not null", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
        {
            return false;
        }

        await using var delete = new NpgsqlCommand(
            $"delete from {EventStoreSetup.SchemaName}.mt_event_progression where name like @name", connection);
        delete.Parameters.AddWithValue("name", ElasticsearchIndexer.SubscriptionName + ":%");
        return await delete.ExecuteNonQueryAsync(ct) > 0;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();
}
