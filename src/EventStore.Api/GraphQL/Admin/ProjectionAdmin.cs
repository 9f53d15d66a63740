using EventStore.Api.Auth;
using EventStore.Api.DeadLetters;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.Search.Elasticsearch;
using EventStore.Api.Hosting;
using EventStore.Domain;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;

namespace EventStore.Api.GraphQL.Admin;

/// <summary>
/// Admins: list the asynchronous projections and subscriptions with their progress, state and dead letters, and
/// rebuild a projection from the log. The rebuild runs on this node's own projection daemon (it stops the projection,
/// empties its tables, replays every event, and resumes live processing), so it needs a node that runs projections;
/// the JasperFx command line does the same offline
/// (`dotnet run --project src/EventStore.Api -- projections --rebuild -p UserProfile`, docs/operations.md). With several
/// nodes each projection runs on exactly one of them: `runningHere` says which, and a rebuild asked of another node is
/// refused rather than run beside the live one.
/// </summary>
public static class ProjectionAdmin
{
    public static readonly TimeSpan RebuildTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Projection names are short identifiers (UserProfile, OrderView, ...).</summary>
    public const int MaxNameLength = 100;

    public static void AddProjectionQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProjectionStatusType>>>>("projections")
            .Description("Admins: the asynchronous projections and subscriptions: how far each has processed the log, its state "
                + "and its dead letters.")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<ProjectionStatusReader>().ReadAsync(c.CancellationToken));
        query.AddDeadLetterQueries();
    }

    public static void AddProjectionMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ProjectionStatusType>>("rebuildProjection")
            .Description("Admins: rebuild an asynchronous projection from the whole log. Read models are identical to those "
                + "built live; while it runs, the projection's reads may be incomplete. An event the projection cannot process "
                + "is dead-lettered and skipped, and the rebuild completes. Returns when the rebuild is done.")
            .Argument<NonNullGraphType<StringGraphType>>("name", "A name from the `projections` query, e.g. UserProfile.",
                a => a.SingleLine(MaxNameLength))
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

                _ = services.GetService<IProjectionCoordinator>()
                    ?? throw new ConflictException("This node runs no projection daemon; rebuild on a projecting node or with the command line.");
                var reader = services.GetRequiredService<ProjectionStatusReader>();
                if (services.GetRequiredService<NodeSettings>().Distributed
                    && !(await reader.ReadAsync(c.CancellationToken)).Any(x => x.Name == name && x.RunningHere))
                {
                    throw new ConflictException($"Projection '{name}' runs on another node; rebuild it there (see `runningHere` in `projections`).");
                }

                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Projections");
                logger.LogWarning("Projection {Projection} rebuild requested by {Actor}", name, c.User.UserId());
                await ProjectionRebuild.RunAsync(services, name, RebuildTimeout, c.CancellationToken);
                logger.LogWarning("Projection {Projection} rebuilt", name);
                return (await reader.ReadAsync(c.CancellationToken)).Single(x => x.Name == name);
            });
        mutation.AddDeadLetterMutations();
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
}

public sealed class ProjectionRunStateType : EnumerationGraphType<ProjectionRunState>
{
    public ProjectionRunStateType()
    {
        Name = "ProjectionRunState";
        Description = "RUNNING; PAUSED (the daemon retries it); STOPPED (needs an operator, see the log); REBUILDING; "
            + "UNKNOWN (this node does not run it).";
    }
}

public sealed class ProjectionStatusType : ObjectGraphType<ProjectionSnapshot>
{
    public ProjectionStatusType()
    {
        Name = "ProjectionStatus";
        Field(x => x.Name);
        Field<NonNullGraphType<BooleanGraphType>>("subscription").Description("A subscription (relay, indexer) rather than a read model.")
            .Resolve(c => c.Source.IsSubscription);
        Field<NonNullGraphType<LongGraphType>>("sequence").Description("The last global sequence the projection has processed.")
            .Resolve(c => c.Source.Position);
        Field<NonNullGraphType<LongGraphType>>("lastEventSequence").Description("The high-water mark: the newest committed event's sequence.")
            .Resolve(c => c.Source.HighWaterMark);
        Field<NonNullGraphType<LongGraphType>>("lag").Description("lastEventSequence minus sequence.").Resolve(c => c.Source.Lag);
        Field<FloatGraphType>("lagSeconds").Description("Age of the oldest event the projection has not processed; null when caught up.")
            .Resolve(c => c.Source.OldestPendingAge?.TotalSeconds);
        Field<NonNullGraphType<ProjectionRunStateType>>("status").Resolve(c => c.Source.State);
        Field<StringGraphType>("failure").Description("Why it is STOPPED (no personal data).").Resolve(c => c.Source.Failure);
        Field<NonNullGraphType<LongGraphType>>("deadLetterCount").Description("Events it skipped, waiting for a fix and a replay.")
            .Resolve(c => c.Source.DeadLetters);
        Field<NonNullGraphType<BooleanGraphType>>("runningHere")
            .Description("Whether this node's daemon runs the projection now. With several nodes exactly one node does; "
                + "after that node dies another takes it over.")
            .Resolve(c => c.Source.RunningHere);
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class ProjectionAdminQueryRoot : IQueryFields
{
    public int Order => 40;

    public void AddTo(ObjectGraphType root) => root.AddProjectionQueries();
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class ProjectionAdminMutationRoot : IMutationFields
{
    public int Order => 20;

    public void AddTo(ObjectGraphType root) => root.AddProjectionMutations();
}
