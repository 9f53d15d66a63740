using EventStore.Domain.Files.Archiving;
using EventStore.Domain.Files.Discarding;
using EventStore.Projections.Files;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventStore.Api.Files;

/// <summary>
/// Removes uploads nobody attached within `Files:UnattachedRetention`: every `Files:SweepInterval` it finds them in
/// <see cref="FileView"/> and sends each a <see cref="DiscardFile"/>, which decides again on the file's stream (a file
/// attached meanwhile stays); the object is deleted after <c>FileDiscarded</c> has committed. Several nodes may sweep at
/// once: the second decision on a file finds it discarded and does nothing.
/// </summary>
public sealed class FileSweeper(IDocumentStore documents, IServiceScopeFactory scopes, IFileStore store, IOptions<FilesOptions> options,
    TimeProvider clock, ILogger<FileSweeper> logger) : BackgroundService
{
    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SweepInterval;
        if (interval == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(clock.GetUtcNow(), stoppingToken);
                await ArchiveAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "File sweep failed; trying again in {Interval}", interval);
            }
        }
    }

    /// <summary>
    /// Moves attached files uploaded more than `Files:ArchiveAfter` before <paramref name="now"/> to the archive storage
    /// class and records <c>FileArchived</c>; returns how many. Nothing when archiving is off or the store has no classes.
    /// </summary>
    public async Task<int> ArchiveAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (options.Value.ArchiveAfter == TimeSpan.Zero)
        {
            return 0;
        }

        var cutoff = now - options.Value.ArchiveAfter;
        IReadOnlyList<Guid> ids;
        await using (var session = documents.QuerySession())
        {
            ids = await FileProjections.ArchivableBeforeAsync(session, cutoff, BatchSize, ct);
        }

        var archived = 0;
        foreach (var id in ids)
        {
            await using var scope = scopes.CreateAsyncScope();
            string? key;
            await using (var session = documents.QuerySession())
            {
                key = (await session.Events.AggregateStreamAsync<EventStore.Domain.Files.StoredFile>(id, token: ct))?.StorageKey;
            }

            if (key is null || await store.ArchiveAsync(key, ct) is not { } storageClass)
            {
                continue; // the local store has no storage classes: nothing to record
            }

            await scope.ServiceProvider.GetRequiredService<IMessageBus>()
                .InvokeAsync(new ArchiveFile(id, cutoff, storageClass), ct);
            archived++;
        }

        return archived;
    }

    /// <summary>Discards what was unattached for longer than the retention at <paramref name="now"/>; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = now - options.Value.UnattachedRetention;
        var discarded = 0;
        while (true)
        {
            IReadOnlyList<Guid> ids;
            await using (var session = documents.QuerySession())
            {
                ids = await FileProjections.UnattachedBeforeAsync(session, cutoff, BatchSize, ct);
            }

            var round = 0;
            foreach (var id in ids)
            {
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<IMessageBus>()
                    .InvokeAsync<DiscardOutcome>(new DiscardFile(id, cutoff), ct);
                if (outcome.Discarded)
                {
                    await store.DeleteAsync(outcome.StorageKey, ct);
                    round++;
                }
            }

            discarded += round;
            // The view follows the daemon: what was just discarded may still be listed, so stop when a round changes nothing.
            if (ids.Count < BatchSize || round == 0)
            {
                return discarded;
            }
        }
    }
}
