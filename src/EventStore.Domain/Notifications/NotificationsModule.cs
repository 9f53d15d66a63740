using EventStore.Domain.Notifications.Delivering;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Notifications;

public static class NotificationsModule
{
    public const string Consumer = "notifications";

    public static StoreOptions ConfigureNotifications(this StoreOptions options)
    {
        options.Events.AddEventTypes([
            typeof(NotificationCreated), typeof(NotificationRead), typeof(NotificationDelivered),
            typeof(NotificationDeliveryFailed), typeof(NotificationPreferencesChanged),
        ]);
        options.Schema.For<ProcessedIntegrationEvent>();
        options.Schema.For<NotificationContact>();
        return options;
    }

    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // In-app is the notification itself; external channels are added by the host when configured.
        services.TryAddSingleton<INotificationChannels, NotificationChannels>();
        return services;
    }
}
