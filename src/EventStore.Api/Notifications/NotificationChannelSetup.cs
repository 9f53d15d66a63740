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
            Add<EmailChannel>(services, EmailChannel.Name);
        }

        if (configuration.GetSection(SmsChannelOptions.SectionName).Get<SmsChannelOptions>() is { Configured: true })
        {
            Add<SmsChannel>(services, SmsChannel.Name);
        }

        return services;
    }

    private static void Add<T>(IServiceCollection services, string name) where T : class, INotificationChannel
    {
        // The pipeline has its own timeout per attempt; HttpClient's overall timeout must not cut the retries short.
        services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddKeyedSingleton(name, (sp, _) => DeliveryPipeline.Build(name,
            sp.GetRequiredService<IOptions<DeliveryResilienceOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Notifications." + name)));
        services.AddSingleton<INotificationChannel, T>();
    }
}
