using EventStore.Projections.Auditing;
using EventStore.Api.LiveFeed;
using EventStore.Api.GraphQL.Hygiene;
using System.Text.Json;
using EventStore.Api.Auth;
using EventStore.Domain;
using EventStore.Domain.Auditing;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using Marten;
using Wolverine;

namespace EventStore.Api.GraphQL.Audit;

/// <summary>
/// The auditor API (roles auditor and admin): any stream with metadata, the global log by sequence, any aggregate as of
/// a version or a time. Every call is itself recorded as an AuditLogRead event on the caller's access-log stream.
/// </summary>
public static class AuditQueryFields
{
    private delegate Task<object?> Aggregator(IQuerySession session, Guid id, long version, DateTimeOffset? at, CancellationToken ct);

    private static readonly Dictionary<string, Aggregator> Aggregates = new(StringComparer.Ordinal)
    {
        ["user"] = AggregateAsync<User>,
        ["order"] = AggregateAsync<Order>,
        ["cash_account"] = AggregateAsync<CashAccount>,
        ["position"] = AggregateAsync<Position>,
        ["instrument"] = AggregateAsync<Instrument>,
    };

    public static void AddAuditQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditEventType>>>>("auditStream")
            .Description("Auditors: one stream's events with full metadata, in version order.")
            .Argument<NonNullGraphType<IdGraphType>>("streamId")
            .Argument<IntGraphType>("fromVersion", "First version to return (default 1).")
            .Argument<IntGraphType>("first", "At most this many events, 1 to 1000 (default 100).")
            .AuthorizeWithRoles(Roles.Auditor, Roles.Admin)
            .ResolveAsync(async c =>
            {
                var stream = Paging.Uuid(c, "streamId")!.Value;
                var events = await Log(c).StreamAsync(stream, c.GetArgument("fromVersion", 1), Limit(c, 100), c.CancellationToken);
                await RecordAsync(c, "auditStream", new { stream, fromVersion = c.GetArgument("fromVersion", 1) }, events.Count);
                return events;
            });

        query.Field<NonNullGraphType<ConnectionType<AuditEventType, EdgeType<AuditEventType>>>>("auditEvents")
            .Description("Auditors: the global log in sequence order, filtered; the cursor is the global sequence.")
            .Argument<AuditFilterType>("filter")
            .Argument<IntGraphType>("first", "Page size, 1 to 1000 (default 100).")
            .Argument<StringGraphType>("after", "A cursor (global sequence) from a previous page.", a => a.SingleLine(Paging.MaxCursorLength))
            .AuthorizeWithRoles(Roles.Auditor, Roles.Admin)
            .ResolveAsync(async c =>
            {
                var f = c.GetArgument<AuditFilterInput?>("filter") ?? new AuditFilterInput();
                var after = c.GetArgument<string?>("after") is { } cursor ? SequenceOf(cursor) : 0;
                var limit = Limit(c, 100);
                var rows = await Log(c).PageAsync(new EventLogFilter(f.From, f.To, f.EventTypes, f.StreamTypes, f.Actor, f.CorrelationId,
                    f.StreamId), after, limit + 1, c.CancellationToken);
                var page = rows.Take(limit).ToList();
                await RecordAsync(c, "auditEvents", new { filter = f, after }, page.Count);
                var edges = page.Select(e => new Edge<StoredEvent> { Cursor = Paging.EncodeCursor(e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), Node = e }).ToList();
                return new Connection<StoredEvent>
                {
                    Edges = edges,
                    PageInfo = new PageInfo
                    {
                        HasNextPage = rows.Count > limit,
                        HasPreviousPage = after > 0,
                        StartCursor = edges.FirstOrDefault()?.Cursor,
                        EndCursor = edges.LastOrDefault()?.Cursor,
                    },
                };
            });

        query.Field<NonNullGraphType<AggregateSnapshotType>>("aggregateAsOf")
            .Description("Auditors: rebuild a user, account, position, order or instrument as it was at a version or a time.")
            .Argument<NonNullGraphType<IdGraphType>>("streamId")
            .Argument<IntGraphType>("version", "Apply events up to and including this version.")
            .Argument<DateTimeOffsetGraphType>("timestamp", "Apply events committed at or before this time.")
            .AuthorizeWithRoles(Roles.Auditor, Roles.Admin)
            .ResolveAsync(async c =>
            {
                var stream = Paging.Uuid(c, "streamId")!.Value;
                var version = c.GetArgument<int?>("version");
                var at = c.GetArgument<DateTimeOffset?>("timestamp");
                var type = await Log(c).StreamTypeAsync(stream, c.CancellationToken) ?? throw new NotFoundException("Stream not found.");
                if (!Aggregates.TryGetValue(type, out var aggregate))
                {
                    throw new Errors.ApiError(Errors.ErrorCodes.Validation, $"Streams of type '{type}' cannot be rebuilt here.",
                        new Dictionary<string, object?> { ["field"] = "streamId" });
                }

                var state = await aggregate(c.RequestServices!.GetRequiredService<IQuerySession>(), stream, version ?? 0, at, c.CancellationToken)
                    ?? throw new NotFoundException("The stream has no events at that point.");
                await RecordAsync(c, "aggregateAsOf", new { stream, version, at }, 1);
                var atVersion = (long)Convert.ToInt32(state.GetType().GetProperty("Version")?.GetValue(state) ?? 0, System.Globalization.CultureInfo.InvariantCulture);
                var json = await c.RequestServices!.GetRequiredService<Privacy.PersonalDataReveal>()
                    .RevealAsync(JsonSerializer.Serialize(state, state.GetType()), c.CancellationToken);
                return new AggregateSnapshot(stream, type, atVersion, json);
            });
    }

    private static EventLog Log(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<EventLog>();

    private static int Limit(IResolveFieldContext c, int fallback) => c.GetArgument<int?>("first") switch
    {
        null => fallback,
        < 1 or > 1000 => throw new Errors.ApiError(Errors.ErrorCodes.Validation, "'first' must be between 1 and 1000.",
            new Dictionary<string, object?> { ["field"] = "first" }),
        { } n => n,
    };

    private static long SequenceOf(string cursor) =>
        long.TryParse(Paging.DecodeCursor(cursor), out var sequence) ? sequence
            : throw new Errors.ApiError(Errors.ErrorCodes.Validation, "The cursor is not valid.", new Dictionary<string, object?> { ["field"] = "after" });

    private static Task RecordAsync(IResolveFieldContext c, string operation, object arguments, int results) =>
        c.RequestServices!.GetRequiredService<IMessageBus>().InvokeAsync(
            new RecordAuditAccess(c.User.UserId()!.Value, operation, JsonSerializer.Serialize(arguments), results), c.CancellationToken);

    private static async Task<object?> AggregateAsync<T>(IQuerySession session, Guid id, long version, DateTimeOffset? at, CancellationToken ct)
        where T : class => await StreamStates.AsOfAsync<T>(session, id, version, at, ct);
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class AuditQueryRoot : IQueryFields
{
    public int Order => 30;

    public void AddTo(ObjectGraphType root) => root.AddAuditQueries();
}
