using EventStore.Api.GraphQL.Hygiene;
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
    /// <summary>New notifications for the caller, live from the event feed (replayed from `after` when given).</summary>
    public static void AddNotificationSubscription(this ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<NotificationUpdateType>>("notifications")
            .Description("Your new notifications as they are created.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var me = c.User.UserId()!.Value;
                return LiveSubscription.Stream(c, EventLogFilter.OfEvents(typeof(NotificationCreated)), (e, _, _) =>
                    ValueTask.FromResult(e.DataAs<NotificationCreated>() is var created && created.UserId == me
                        ? new NotificationUpdate(e.Sequence, NotificationView.From(created))
                        : null));
            });
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class NotificationSubscriptionRoot : ISubscriptionFields
{
    public int Order => 20;

    public void AddTo(ObjectGraphType root) => root.AddNotificationSubscription();
}
