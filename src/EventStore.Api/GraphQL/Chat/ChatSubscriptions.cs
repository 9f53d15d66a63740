using EventStore.Api.GraphQL.Hygiene;
using System.Runtime.CompilerServices;
using System.Text.Json;
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
    private static readonly string[] MessageEvents = ["message_posted", "message_edited", "message_deleted"];
    private static readonly JsonSerializerOptions Stored = new() { PropertyNameCaseInsensitive = true };

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
                var services = c.RequestServices!;
                var room = await Visible(services.GetRequiredService<IQuerySession>(), Paging.Uuid(c, "roomId")!.Value, me, admin,
                    c.CancellationToken);
                var filter = new AuditFilter(null, null, MessageEvents, null, null, null, null);
                var streams = services.GetRequiredService<LiveStreams>();
                var after = SubscriptionType.After(c);
                var pace = services.GetRequiredService<LiveFeed.DeliveryPace>();
                return new AsyncStreamObservable<RoomMessageUpdate>(ct => Updates(
                    streams.StreamAsync(filter, e => MessageEvents.Contains(e.Type) && RoomOf(e) == room.Id, after, pace, ct),
                    services, room.Id, me, admin, ct));
            });
    }

    private static Guid RoomOf(AuditEvent e) => JsonSerializer.Deserialize<RoomRef>(e.Data, Stored)?.RoomId ?? Guid.Empty;

    /// <summary>Membership is checked again at every event: leaving or being removed from a room ends the subscription.</summary>
    private static async IAsyncEnumerable<RoomMessageUpdate> Updates(IAsyncEnumerable<AuditEvent> source, IServiceProvider services,
        Guid roomId, Guid me, bool admin, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in source.WithCancellation(ct))
        {
            using var scope = services.CreateScope();
            var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
            await Visible(session, roomId, me, admin, ct);
            var message = await ChatQueries.MessageAsOfAsync(session, e.StreamId, e.Version, ct);
            if (message is not null)
            {
                yield return new RoomMessageUpdate(e.Sequence, e.Type, message);
            }
        }
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
