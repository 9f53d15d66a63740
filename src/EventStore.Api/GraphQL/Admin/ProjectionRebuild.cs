using EventStore.Api.DeadLetters;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.Search.Elasticsearch;
using EventStore.Domain;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;

namespace EventStore.Api.GraphQL.Admin;

/// <summary>
/// A rebuild that a poison event cannot break. Marten skips and dead-letters an event whose projection code throws
/// (<c>RebuildErrors.SkipApplyErrors</c>), but a failed WRITE ends Marten's rebuild. Then: dead-letter the event that
/// failed (<see cref="ProjectionRepair"/>, after the position the rebuild reached), restart the projection from there
/// and wait until it has reached the high-water mark of the rebuild. Rebuild = empty tables + replay from the start,
/// so finishing the replay in continuous mode gives the same read model.
/// </summary>
public static class ProjectionRebuild
{
    public static async Task RunAsync(IServiceProvider services, string name, TimeSpan timeout, CancellationToken ct)
    {
        var daemon = services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        if (name == ElasticsearchIndexer.SubscriptionName && services.GetService<ElasticsearchRebuild>() is { } elasticsearch)
        {
            // Into a new index behind the write alias; searches read the old one until the alias swap (docs/search.md).
            await elasticsearch.RunAsync(daemon, timeout, ct);
            return;
        }

        var restart = true;
        try
        {
            await daemon.RebuildProjectionAsync(name, timeout, ct);
            return;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && ProjectionFailures.Classify(e) != FailureKind.Transient)
        {
            restart = false; // after the repair, below
            services.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Projections").LogWarning(
                "Projection {Projection} rebuild stopped on an event ({Failure}); dead-lettering it and finishing the replay",
                name, ProjectionFailures.Describe(e));
        }
        finally
        {
            if (restart)
            {
                // Marten's rebuild stops the projection's continuous agents and returns without starting them again
                // (that is the caller's job); nor does a rebuild cut short by a caller who went away. Left so, the
                // projection stayed STOPPED: later events never reached it, readiness was Unhealthy (found by the fuzz).
                await RestartAsync(services, daemon, name);
            }
        }

        var repair = services.GetRequiredService<ProjectionRepair>();
        var failures = services.GetRequiredService<ProjectionFailureLog>();
        var shard = ShardName.Compose(name);
        var mark = daemon.HighWaterMark();
        // The supervisor saw the shard pause and isolates too; both are safe together (serialized, compare-and-set).
        var outcome = await repair.IsolateAsync(shard, await repair.PositionAsync(shard, ct), ct);
        if (outcome == IsolationOutcome.GaveUp)
        {
            throw new ConflictException($"The rebuild of {name} stopped on a failure no event caused: {failures.StoppedBy(shard.Identity) ?? "see the log"}.");
        }

        await StartAsync(daemon, shard, ct);

        try
        {
            await daemon.Tracker.WaitForShardState(shard, mark, timeout);
        }
        catch (TimeoutException)
        {
            throw new ApiError(ErrorCodes.Conflict, $"The rebuild of {name} did not finish in {timeout}: "
                + (failures.StoppedBy(shard.Identity) ?? "see the `projections` query and the log") + ".");
        }
    }

    private static async Task StartAsync(JasperFx.Events.Daemon.IProjectionDaemon daemon, ShardName shard, CancellationToken ct)
    {
        try
        {
            await daemon.StartAgentAsync(shard.Identity, ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Already started again (by the supervisor or the daemon's coordinator).
        }
    }

    /// <summary>Starts every shard of the projection again, whatever happened to the request that rebuilt it.</summary>
    private static async Task RestartAsync(IServiceProvider services, JasperFx.Events.Daemon.IProjectionDaemon daemon, string name)
    {
        var options = (StoreOptions)services.GetRequiredService<IDocumentStore>().Options;
        foreach (var shard in options.Projections.AllShards().Where(s => s.Name.Name == name))
        {
            try
            {
                await daemon.StartAgentAsync(shard.Name.Identity, CancellationToken.None);
            }
            catch (Exception e)
            {
                // Already started again (by the supervisor or the daemon's coordinator).
                services.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Projections").LogInformation(e,
                    "Projection {Shard} not restarted after its rebuild; it was running again already", shard.Name.Identity);
            }
        }
    }
}
