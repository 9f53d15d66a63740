using EventStore.Api.Resilience;
using EventStore.Domain.Notifications.Delivering;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Notifications;

public static class NotificationChannelSetup
{
    /// <summary>E-mail and SMS channels, each only when configured; in-app needs nothing.</summary>
    public static IServiceCollection AddNotificationChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryResilienceOptions>().BindConfiguration(DeliveryResilienceOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailChannelOptions>().BindConfiguration(EmailChannelOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmsChannelOptions>().BindConfiguration(SmsChannelOptions.SectionName);

        if (configuration.GetSection(EmailChannelOptions.SectionName).Get<EmailChannelOptions>() is { Configured: true })
        {
            Add<EmailChannel>(services, EmailChannel.Name, ResiliencePipelines.NotificationsEmail);
        }

        if (configuration.GetSection(SmsChannelOptions.SectionName).Get<SmsChannelOptions>() is { Configured: true })
        {
            Add<SmsChannel>(services, SmsChannel.Name, ResiliencePipelines.NotificationsSms);
        }

        return services;
    }

    private static void Add<T>(IServiceCollection services, string name, string pipeline) where T : class, INotificationChannel
    {
        // The pipeline has its own timeout per attempt; HttpClient's overall timeout must not cut the retries short.
        services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpDependencyPipeline<DeliveryResilienceOptions>(pipeline, name);
        services.AddSingleton<INotificationChannel, T>();
    }
}
