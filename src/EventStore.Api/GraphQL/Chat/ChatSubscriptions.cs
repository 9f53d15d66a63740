using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Audit;
using EventStore.Api.LiveFeed;
using EventStore.Domain.Chat;
using EventStore.Domain.Users;
using EventStore.Projections.Chat;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL.Chat;

/// <summary>A change to a room's messages: the event and the message as of that event.</summary>
public sealed record RoomMessageUpdate(long Sequence, string Event, ChatMessageView Message);

public sealed class RoomMessageUpdateType : ObjectGraphType<RoomMessageUpdate>
{
    public RoomMessageUpdateType()
    {
        Name = "RoomMessageUpdate";
        Field<NonNullGraphType<StringGraphType>>("sequence").Description("Cursor: pass as `after` to resume.")
            .Resolve(c => c.Source.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.Event).Description("message_posted, message_edited or message_deleted.");
        Field<NonNullGraphType<MessageGraphType>>("message").Resolve(c => c.Source.Message);
    }
}

public static class ChatSubscriptions
{
    private static readonly EventLogFilter MessageEvents =
        EventLogFilter.OfEvents(typeof(MessagePosted), typeof(MessageEdited), typeof(MessageDeleted));
    public static void AddChatSubscriptions(this ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<RoomMessageUpdateType>>("roomMessages")
            .Description("New, edited and deleted messages of a room you may read (members only for private and direct rooms). " +
                "Stops with NOT_FOUND once you are no longer allowed to read the room.")
            .Argument<NonNullGraphType<IdGraphType>>("roomId")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStreamAsync(async c =>
            {
                var me = c.User.UserId()!.Value;
                var admin = c.User?.IsInRole(Roles.Admin) == true;
                var room = await Visible(c.RequestServices!.GetRequiredService<IQuerySession>(), Paging.Uuid(c, "roomId")!.Value, me, admin,
                    c.CancellationToken);
                // Membership is checked again at every event: leaving or being removed from a room ends the subscription.
                return LiveSubscription.Stream(c, MessageEvents, async (e, services, ct) =>
                {
                    var session = services.GetRequiredService<IQuerySession>();
                    await Visible(session, room.Id, me, admin, ct);
                    var message = await ChatQueries.MessageAsOfAsync(session, e.StreamId, e.Version, ct);
                    return message is null ? null : new RoomMessageUpdate(e.Sequence, e.Type, message);
                }, where: e => e.DataAs<RoomRef>().RoomId == room.Id);
            });
    }

    /// <summary>Subscription resolvers run outside the field middleware: the domain's NOT_FOUND is coded here.</summary>
    private static async Task<ChatRoomView> Visible(IQuerySession session, Guid roomId, Guid me, bool admin, CancellationToken ct)
    {
        try
        {
            return await ChatQueries.RoomAsync(session, roomId, me, admin, live: true, ct);
        }
        catch (Domain.NotFoundException e)
        {
            throw new Errors.ApiError(Errors.ErrorCodes.NotFound, e.Message);
        }
    }

    private sealed record RoomRef(Guid RoomId);
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class ChatSubscriptionRoot : ISubscriptionFields
{
    public int Order => 30;

    public void AddTo(ObjectGraphType root) => root.AddChatSubscriptions();
}
