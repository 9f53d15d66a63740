using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Notifications;

public static class NotificationProjections
{
    public static StoreOptions ConfigureNotificationProjections(this StoreOptions options)
    {
        options.Projections.Add<NotificationViewProjection>(ProjectionLifecycle.Async);
        options.Schema.For<NotificationView>().Duplicate(x => x.UserId).Duplicate(x => x.CreatedAt);
        return options;
    }
}
