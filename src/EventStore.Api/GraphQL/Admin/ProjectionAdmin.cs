using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.Search.Elasticsearch;
using EventStore.Domain;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;

namespace EventStore.Api.GraphQL.Admin;

/// <summary>
/// Admins: list the asynchronous projections with their progress, and rebuild one from the log. The rebuild runs on
/// this node's own projection daemon (it stops the projection, empties its tables, replays every event, and resumes
/// live processing), so it needs a node that runs projections; the JasperFx command line does the same offline
/// (`dotnet run --project src/EventStore.Api -- projections --rebuild -p UserProfile`, docs/operations.md).
/// </summary>
public static class ProjectionAdmin
{
    public static readonly TimeSpan RebuildTimeout = TimeSpan.FromMinutes(10);

    public static void AddProjectionQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProjectionStatusType>>>>("projections")
            .Description("Admins: the asynchronous projections and how far each has processed the log.")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var store = c.RequestServices!.GetRequiredService<IDocumentStore>();
                return await StatusAsync(store, RebuildableNames(c.RequestServices!, store), c.CancellationToken);
            });
    }

    public static void AddProjectionMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ProjectionStatusType>>("rebuildProjection")
            .Description("Admins: rebuild an asynchronous projection from the whole log. Read models are identical to those "
                + "built live; while it runs, the projection's reads may be incomplete. Returns when the rebuild is done.")
            .Argument<NonNullGraphType<StringGraphType>>("name", "A name from the `projections` query, e.g. UserProfile.")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var services = c.RequestServices!;
                var store = services.GetRequiredService<IDocumentStore>();
                var name = c.GetArgument<string>("name");
                var known = RebuildableNames(services, store);
                if (!known.Contains(name))
                {
                    throw new ApiError(ErrorCodes.Validation,
                        $"Unknown projection '{name}'. Known: {string.Join(", ", known)}.",
                        new Dictionary<string, object?> { ["field"] = "name" });
                }

                var coordinator = services.GetService<IProjectionCoordinator>()
                    ?? throw new ConflictException("This node runs no projection daemon; rebuild on a projecting node or with the command line.");
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Projections");
                logger.LogWarning("Projection {Projection} rebuild requested by {Actor}", name, c.User.UserId());
                if (name == ElasticsearchIndexer.SubscriptionName && services.GetService<ElasticsearchRebuild>() is { } elasticsearch)
                {
                    // Into a new index behind the write alias; searches read the old one until the alias swap.
                    await elasticsearch.RunAsync(coordinator.DaemonForMainDatabase(), RebuildTimeout, c.CancellationToken);
                }
                else
                {
                    await coordinator.DaemonForMainDatabase().RebuildProjectionAsync(name, RebuildTimeout, c.CancellationToken);
                }

                logger.LogWarning("Projection {Projection} rebuilt", name);
                return (await StatusAsync(store, [name], c.CancellationToken)).Single();
            });
    }

    /// <summary>The async projections, plus the Elasticsearch indexer subscription when Elasticsearch is configured.</summary>
    private static IReadOnlyList<string> RebuildableNames(IServiceProvider services, IDocumentStore store) =>
        services.GetService<ElasticsearchRebuild>() is null
            ? AsyncProjectionNames(store)
            : [.. AsyncProjectionNames(store).Append(ElasticsearchIndexer.SubscriptionName).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> AsyncProjectionNames(IDocumentStore store) =>
        [.. ((StoreOptions)store.Options).Projections.All
            .Where(p => p.Lifecycle == ProjectionLifecycle.Async)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)];

    private static async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(IDocumentStore store, IReadOnlyList<string> names, CancellationToken ct)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var highWaterMark = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
        return [.. names.Select(name => new ProjectionStatus(name,
            progress.Where(p => p.ShardName.StartsWith(name + ":", StringComparison.Ordinal)).Select(p => p.Sequence).DefaultIfEmpty(0).Min(),
            highWaterMark))];
    }
}

public sealed record ProjectionStatus(string Name, long Sequence, long LastEventSequence);

public sealed class ProjectionStatusType : ObjectGraphType<ProjectionStatus>
{
    public ProjectionStatusType()
    {
        Name = "ProjectionStatus";
        Field(x => x.Name);
        Field<NonNullGraphType<LongGraphType>>("sequence").Description("The last global sequence the projection has processed.")
            .Resolve(c => c.Source.Sequence);
        Field<NonNullGraphType<LongGraphType>>("lastEventSequence").Description("The newest event's global sequence.")
            .Resolve(c => c.Source.LastEventSequence);
    }
}
