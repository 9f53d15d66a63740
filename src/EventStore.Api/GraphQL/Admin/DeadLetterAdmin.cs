using EventStore.Api.DeadLetters;
using EventStore.Api.GraphQL.Errors;
using EventStore.Domain;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using Marten.Events.Daemon.Coordination;

namespace EventStore.Api.GraphQL.Admin;

/// <summary>
/// Admins: the events projections and subscriptions skipped (dead letters), and replaying them after the cause is
/// fixed. A projection's dead letter is applied again through the projection (for a single-stream read model, its
/// document is rebuilt from the stream) and deleted when that succeeds; a subscription is rewound to just before
/// its oldest dead letter, so it processes the events from there again (at least once). docs/operations.md#dead-letters.
/// </summary>
public static class DeadLetterAdmin
{
    public static void AddDeadLetterQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<DeadLetterType, EdgeType<DeadLetterType>>>>("deadLetters")
            .Description("Admins: events a projection or subscription skipped because it could not process them, oldest first.")
            .Argument<StringGraphType>("projection", "Only this projection's (a name from `projections`).")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var after = c.GetArgument<string?>("after");
                var (items, hasNext) = await c.RequestServices!.GetRequiredService<DeadLetterReads>().PageAsync(
                    c.GetArgument<string?>("projection"), Paging.PageSize(c.GetArgument<int?>("first")), DecodeCursor(after), c.CancellationToken);
                return Paging.Connection(items, x => Paging.EncodeCursor($"{x.Sequence}:{x.Id}"), hasNext, after);
            });
    }

    public static void AddDeadLetterMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ReplayResultType>>("replayDeadLetters")
            .Description("Admins: after fixing the cause, apply every dead letter of a projection again, oldest first. Those "
                + "that succeed are deleted; those that fail stay, with the reason.")
            .Argument<NonNullGraphType<StringGraphType>>("projection", "A name from the `projections` query.")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var services = c.RequestServices!;
                var projection = c.GetArgument<string>("projection");
                var letters = await services.GetRequiredService<DeadLetterReads>().AllOfAsync(projection, c.CancellationToken);
                return await ReplayAsync(services, projection, letters, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ReplayResultType>>("replayDeadLetter")
            .Description("Admins: apply one dead letter again (see replayDeadLetters).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var services = c.RequestServices!;
                var id = Paging.Uuid(c, "id")!.Value;
                var letter = await services.GetRequiredService<DeadLetterReads>().FindAsync(id, c.CancellationToken)
                    ?? throw new NotFoundException($"No dead letter {id}.");
                return await ReplayAsync(services, letter.Projection, [letter], c.CancellationToken);
            });
    }

    private static async Task<ReplayResult> ReplayAsync(IServiceProvider services, string projection, IReadOnlyList<DeadLetter> letters,
        CancellationToken ct)
    {
        var repair = services.GetRequiredService<ProjectionRepair>();
        if (letters.Count == 0)
        {
            return new ReplayResult(0, []);
        }

        if (repair.Source(projection) is null)
        {
            // A subscription: rewinding it reprocesses from just before the oldest dead letter; Marten deletes the dead
            // letters from there on, and records again those that still fail.
            var daemon = services.GetService<IProjectionCoordinator>()?.DaemonForMainDatabase()
                ?? throw new ConflictException("This node runs no projection daemon; replay on a projecting node.");
            await daemon.RewindSubscriptionAsync(projection, ct, letters.Min(x => x.Sequence) - 1);
            return new ReplayResult(letters.Count, []);
        }

        var failed = new List<ReplayFailure>();
        foreach (var letter in letters.OrderBy(x => x.Sequence))
        {
            if (await repair.ReplayAsync(letter, ct) is { } error)
            {
                failed.Add(new ReplayFailure(letter.Id, letter.Sequence, error));
            }
        }

        return new ReplayResult(letters.Count - failed.Count, failed);
    }

    private static (long, Guid)? DecodeCursor(string? after)
    {
        if (Paging.DecodeCursor(after) is not { } key)
        {
            return null;
        }

        var parts = key.Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], out var sequence) && Guid.TryParse(parts[1], out var id)
            ? (sequence, id)
            : throw new ApiError(ErrorCodes.Validation, "The cursor is not valid.", new Dictionary<string, object?> { ["field"] = "after" });
    }
}

public sealed record ReplayResult(int Replayed, IReadOnlyList<ReplayFailure> Failed);

public sealed record ReplayFailure(Guid Id, long Sequence, string Error);

public sealed class DeadLetterType : ObjectGraphType<DeadLetter>
{
    public DeadLetterType()
    {
        Name = "DeadLetter";
        Description = "An event a projection or subscription skipped. The error names the failure, never the event's data.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(x => x.Projection);
        Field(x => x.Shard);
        Field<NonNullGraphType<LongGraphType>>("sequence").Description("The event's global sequence.").Resolve(c => c.Source.Sequence);
        Field<IdGraphType>("streamId").Resolve(c => c.Source.StreamId);
        Field(x => x.EventType, nullable: true);
        Field(x => x.Error);
        Field(x => x.ErrorType, nullable: true);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("recordedAt").Resolve(c => c.Source.RecordedAt);
    }
}

public sealed class ReplayResultType : ObjectGraphType<ReplayResult>
{
    public ReplayResultType()
    {
        Name = "ReplayResult";
        Field<NonNullGraphType<IntGraphType>>("replayed").Description("Dead letters applied (and deleted), or re-queued for a subscription.")
            .Resolve(c => c.Source.Replayed);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReplayFailureType>>>>("failed").Resolve(c => c.Source.Failed);
    }
}

public sealed class ReplayFailureType : ObjectGraphType<ReplayFailure>
{
    public ReplayFailureType()
    {
        Name = "ReplayFailure";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<LongGraphType>>("sequence").Resolve(c => c.Source.Sequence);
        Field(x => x.Error);
    }
}
