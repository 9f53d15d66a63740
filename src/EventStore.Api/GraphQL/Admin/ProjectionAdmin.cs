using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
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
            .ResolveAsync(async c => await StatusAsync(c.RequestServices!.GetRequiredService<IDocumentStore>(), c.CancellationToken));
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
                if (!AsyncProjectionNames(store).Contains(name))
                {
                    throw new ApiError(ErrorCodes.Validation,
                        $"Unknown projection '{name}'. Known: {string.Join(", ", AsyncProjectionNames(store))}.",
                        new Dictionary<string, object?> { ["field"] = "name" });
                }

                var coordinator = services.GetService<IProjectionCoordinator>()
                    ?? throw new ConflictException("This node runs no projection daemon; rebuild on a projecting node or with the command line.");
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Projections");
                logger.LogWarning("Projection {Projection} rebuild requested by {Actor}", name, c.User.UserId());
                var daemon = coordinator.DaemonForMainDatabase();
                await daemon.RebuildProjectionAsync(name, RebuildTimeout, c.CancellationToken);
                // Marten's rebuild stops the projection's live agents and leaves them stopped once the replay is done: without
                // this, the rebuilt read model would never see another event until the node restarts.
                await daemon.StartAgentAsync(ShardName.Compose(name).Identity, c.CancellationToken);
                logger.LogWarning("Projection {Projection} rebuilt", name);
                return (await StatusAsync(store, c.CancellationToken)).Single(x => x.Name == name);
            });
    }

    public static IReadOnlyList<string> AsyncProjectionNames(IDocumentStore store) =>
        [.. ((StoreOptions)store.Options).Projections.All
            .Where(p => p.Lifecycle == ProjectionLifecycle.Async)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)];

    private static async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(IDocumentStore store, CancellationToken ct)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var highWaterMark = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
        return [.. AsyncProjectionNames(store).Select(name => new ProjectionStatus(name,
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
