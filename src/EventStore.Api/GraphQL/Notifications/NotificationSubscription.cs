using EventStore.Api.GraphQL.Hygiene;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Audit;
using EventStore.Api.LiveFeed;
using EventStore.Domain.Notifications;
using EventStore.Projections.Notifications;
using GraphQL;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Notifications;

public sealed record NotificationUpdate(long Sequence, NotificationView Notification);

public sealed class NotificationUpdateType : ObjectGraphType<NotificationUpdate>
{
    public NotificationUpdateType()
    {
        Name = "NotificationUpdate";
        Field<NonNullGraphType<StringGraphType>>("sequence").Description("Cursor: pass as `after` to resume.")
            .Resolve(c => c.Source.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<NotificationType>>("notification").Resolve(c => c.Source.Notification);
    }
}

public static class NotificationSubscription
{
    private const string Created = "notification_created";
    private static readonly JsonSerializerOptions Stored = new() { PropertyNameCaseInsensitive = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>New notifications for the caller, live from the event feed (replayed from `after` when given).</summary>
    public static void AddNotificationSubscription(this ObjectGraphType subscription, Func<IResolveFieldContext, long?> after)
    {
        subscription.Field<NonNullGraphType<NotificationUpdateType>>("notifications")
            .Description("Your new notifications as they are created.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var me = c.User.UserId()!.Value;
                var streams = c.RequestServices!.GetRequiredService<LiveStreams>();
                var filter = new AuditFilter(null, null, [Created], null, null, null, null);
                var from = after(c);
                var pace = c.RequestServices!.GetRequiredService<DeliveryPace>();
                return new AsyncStreamObservable<NotificationUpdate>(ct =>
                    Mine(streams.StreamAsync(filter, e => e.Type == Created, from, pace, ct), me, ct));
            });
    }

    private static async IAsyncEnumerable<NotificationUpdate> Mine(IAsyncEnumerable<AuditEvent> source, Guid me,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in source.WithCancellation(ct))
        {
            var created = JsonSerializer.Deserialize<NotificationCreated>(e.Data, Stored)!;
            if (created.UserId == me)
            {
                yield return new NotificationUpdate(e.Sequence, NotificationView.From(created));
            }
        }
    }
}
