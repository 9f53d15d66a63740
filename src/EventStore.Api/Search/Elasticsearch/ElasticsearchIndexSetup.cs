using System.Globalization;
using Elastic.Clients.Elasticsearch;
using EventStore.Api.Database;
using EventStore.Api.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// Readies Elasticsearch before the daemon starts (<see cref="IHostedLifecycleService.StartingAsync"/> runs before any
/// hosted service starts): checks the server is Elasticsearch 9 or newer (else the app stops, naming
/// `Elasticsearch:Url`), puts the index template, and makes sure the write alias points at an index built with the
/// current mappings. When it has to create that index, or finds a rebuild unfinished, it deletes the indexer's
/// checkpoint so the indexer replays the log into it; the read alias moves to it once it has caught up
/// (<see cref="ElasticsearchIndexer"/>). If Elasticsearch is unreachable, the app starts anyway after
/// <see cref="StartupBudget"/>, and the indexer repeats the checks before its first page.
/// </summary>
public sealed class ElasticsearchIndexSetup(
    ElasticsearchIndexClient client, PostgresConnectionSource postgres, TimeProvider time, ILogger<ElasticsearchIndexSetup> logger)
    : IHostedLifecycleService, IDisposable
{
    public static readonly TimeSpan StartupBudget = TimeSpan.FromSeconds(30);

    public const int RequiredMajorVersion = 9;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _done;
    private readonly Lock _startup = new();
    private Task? _preparation;

    public Task StartingAsync(CancellationToken cancellationToken) => PrepareAsync(cancellationToken);

    /// <summary>
    /// The start-up step, once per process (every caller gets the same outcome): Program.cs runs it before the host
    /// starts, so that an old server stops the app with its plain message, and <see cref="StartingAsync"/> covers a host
    /// started some other way. Throws <see cref="OptionsValidationException"/> when the server is not Elasticsearch 9 or newer.
    /// </summary>
    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        lock (_startup)
        {
            return _preparation ??= PrepareOnceAsync(cancellationToken);
        }
    }

    private async Task PrepareOnceAsync(CancellationToken cancellationToken)
    {
        // Bounded: an unreachable cluster must not hold the whole app's start-up for the full retry budget.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(StartupBudget);
        try
        {
            await EnsureAsync(atStartup: true, bounded.Token);
        }
        catch (Exception e) when (e is ElasticsearchException { IsTransient: true }
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogError("Elasticsearch set-up failed at start-up ({Reason}); the indexer will retry before indexing", e.Message);
        }
    }

    /// <summary>Done once per process; the indexer calls it before every page (a no-op once done).</summary>
    public Task EnsureAsync(CancellationToken ct) => EnsureAsync(atStartup: false, ct);

    /// <summary>Creates a new index with the current mappings and moves the write alias to it. Returns its name.</summary>
    public async Task<string> BeginRebuildAsync(IndexLayout layout, CancellationToken ct)
    {
        var index = client.Names.NewIndex(time.GetUtcNow());
        await client.CreateIndexAsync(index, ct);
        await client.PointWriteAliasAsync(index, layout, ct);
        logger.LogWarning("Elasticsearch: building index {Index}; searches read {Served} until it has caught up with the log",
            index, layout.ReadIndex ?? "PostgreSQL");
        return index;
    }

    private async Task EnsureAsync(bool atStartup, CancellationToken ct)
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

            await CheckVersionAsync(ct);
            await client.PutIndexTemplateAsync(ct);
            var layout = await client.LayoutAsync(ct);
            if (layout.WriteIndex is null || !client.Names.IsCurrent(layout.WriteIndex))
            {
                await BeginRebuildAsync(layout, ct);
                await ReplayFromStartAsync(atStartup, ct);
            }
            else if (layout.Rebuilding)
            {
                // A rebuild this process cannot know was replayed from the start (a restart cut it short): replay again.
                await ReplayFromStartAsync(atStartup, ct);
            }

            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CheckVersionAsync(CancellationToken ct)
    {
        string version;
        try
        {
            version = await client.ServerVersionAsync(ct);
        }
        catch (UnsupportedProductException)
        {
            throw Refuse("does not answer as Elasticsearch (no `X-Elastic-Product: Elasticsearch` header)");
        }
        catch (ElasticsearchException e) when (!e.IsTransient)
        {
            throw Refuse($"refused to say which version it runs ({e.Message})");
        }

        if (!int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            throw Refuse($"reports an unreadable version `{version}`");
        }

        if (major < RequiredMajorVersion)
        {
            throw Refuse($"points at Elasticsearch {version}");
        }

        logger.LogInformation("Elasticsearch {Version}", version);
    }

    private static OptionsValidationException Refuse(string problem) =>
        new(ElasticsearchOptions.SectionName, typeof(ElasticsearchOptions),
        [
            $"Elasticsearch:Url {problem}; this app needs Elasticsearch {RequiredMajorVersion} or newer (its 9.x client sends "
            + "`compatible-with=9`, which older servers refuse). Upgrade the cluster, or unset Elasticsearch:Url to search with PostgreSQL.",
        ]);

    /// <summary>
    /// Before the daemon starts, deleting the indexer's progress row makes its next page start at sequence 1. Once the
    /// daemon runs (Elasticsearch was unreachable at start-up) that row is the daemon's, so this only logs: the new
    /// index takes writes but is not served until a restart replays the log into it.
    /// </summary>
    private async Task ReplayFromStartAsync(bool atStartup, CancellationToken ct)
    {
        if (!atStartup)
        {
            logger.LogWarning("Elasticsearch: the index must be built from the whole log, which needs a restart of this node; "
                + "until then searches read the previous index (or PostgreSQL)");
            return;
        }

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand($"select to_regclass('{EventStoreSetup.SchemaName}.mt_event_progression') is not null", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
        {
            return;
        }

        await using var delete = new NpgsqlCommand(
            $"delete from {EventStoreSetup.SchemaName}.mt_event_progression where name like @name", connection);
        delete.Parameters.AddWithValue("name", ElasticsearchIndexer.SubscriptionName + ":%");
        await delete.ExecuteNonQueryAsync(ct);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();
}
