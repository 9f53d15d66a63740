namespace EventStore.Domain.Notifications.Delivering;

/// <summary>What an external channel sends: the recipient's address (e-mail or phone), a title and a text.</summary>
public sealed record OutboundNotification(string Address, string Title, string Body);

/// <summary>Delivered, or refused with a detail (status code or error name, never the content).</summary>
public sealed record DeliveryResult(bool Delivered, string Detail)
{
    public static DeliveryResult Ok { get; } = new(true, "");
}

/// <summary>One external delivery channel (e-mail, SMS), with its resilience inside. In-app needs none: it is the notification.</summary>
public interface INotificationChannel
{
    NotificationChannel Channel { get; }

    Task<DeliveryResult> SendAsync(OutboundNotification notification, CancellationToken ct);
}

/// <summary>The channels configured on this deployment.</summary>
public interface INotificationChannels
{
    INotificationChannel? Find(NotificationChannel channel);
}

public sealed class NotificationChannels(IEnumerable<INotificationChannel> channels) : INotificationChannels
{
    private readonly Dictionary<NotificationChannel, INotificationChannel> _byChannel = channels.ToDictionary(x => x.Channel);

    public INotificationChannel? Find(NotificationChannel channel) => _byChannel.GetValueOrDefault(channel);
}
