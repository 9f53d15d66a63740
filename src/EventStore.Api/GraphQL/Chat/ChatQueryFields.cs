using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using EventStore.Projections.Chat;
using GraphQL.Types.Relay;
using Marten;

namespace EventStore.Api.GraphQL.Chat;

public static class ChatQueryFields
{
    public static void AddChatQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoomGraphType>>>>("rooms")
            .Description("Your rooms, and (unless mine: true) every public room, latest activity first.")
            .Argument<BooleanGraphType>("mine", "Only rooms you are a member of.")
            .ResolveAsync(async c => await ChatQueries.RoomsAsync(Session(c), c.User.UserId()!.Value,
                !c.GetArgument("mine", false), Paging.MaxPageSize * 2, c.CancellationToken));

        query.Field<NonNullGraphType<RoomGraphType>>("room")
            .Description("A room with its members. Private and direct rooms: members only (NOT_FOUND otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await ChatQueries.RoomAsync(Session(c), Paging.Uuid(c, "id")!.Value, c.User.UserId()!.Value,
                IsAdmin(c), live: false, c.CancellationToken));

        query.Field<NonNullGraphType<ConnectionType<MessageGraphType, EdgeType<MessageGraphType>>>>("messages")
            .Description("A room's messages, newest first. Deleted messages stay in place with text null.")
            .Argument<NonNullGraphType<IdGraphType>>("roomId")
            .Argument<IntGraphType>("first", "Page size, 0 to 100 (default 20).")
            .Argument<StringGraphType>("after", "Cursor of the last edge already seen.", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveAsync(async c =>
            {
                var session = Session(c);
                var room = await ChatQueries.RoomAsync(session, Paging.Uuid(c, "roomId")!.Value, c.User.UserId()!.Value, IsAdmin(c),
                    live: false, c.CancellationToken);
                var after = c.GetArgument<string?>("after");
                var (items, hasNext) = await ChatQueries.MessagesAsync(session, room.Id, Paging.PageSize(c.GetArgument<int?>("first")),
                    KeysetCursor.DecodeOrNull(after), c.CancellationToken);
                return Paging.Connection(items, x => KeysetCursor.Encode(x.PostedAt, x.Id), hasNext, after);
            });
    }

    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();

    private static bool IsAdmin(IResolveFieldContext c) => c.User?.IsInRole(Roles.Admin) == true;
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class ChatQueryRoot : IQueryFields
{
    public int Order => 60;

    public void AddTo(ObjectGraphType root) => root.AddChatQueries();
}
