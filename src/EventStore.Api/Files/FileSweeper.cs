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
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "File sweep failed; trying again in {Interval}", interval);
            }
        }
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
