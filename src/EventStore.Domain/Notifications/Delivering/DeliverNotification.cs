using EventStore.Domain.Users;
using EventStore.Domain.Validation;
using Marten;
using Microsoft.Extensions.Logging;

namespace EventStore.Domain.Notifications.Delivering;

/// <summary>Send one notification through one external channel (cascaded by <see cref="Notifying.Notify"/>).</summary>
public sealed record DeliverNotification(
    Guid NotificationId,
    Guid UserId,
    NotificationChannel Channel,
    [SingleLine(Notification.TitleMaxLength)] string Title,
    [MultiLine(Notification.BodyMaxLength)] string Body);

public static class DeliverNotificationHandler
{
    /// <summary>
    /// The provider's own resilience pipeline retries transient failures; what still fails is recorded, not rethrown,
    /// so a dead provider cannot loop a message forever. A crash between sending and recording sends again (at least once).
    /// </summary>
    public static async Task Handle(DeliverNotification command, IDocumentSession session, INotificationChannels channels,
        TimeProvider clock, ILogger<DeliverNotification> logger, CancellationToken ct)
    {
        if (channels.Find(command.Channel) is not { } channel)
        {
            return; // the channel is not configured on this deployment: in-app only
        }

        var address = command.Channel switch
        {
            NotificationChannel.Email => (await session.LoadAsync<UserAccount>(command.UserId, ct))?.Email,
            NotificationChannel.Sms => (await session.LoadAsync<NotificationContact>(command.UserId, ct))?.PhoneNumber,
            _ => null,
        };
        object outcome;
        if (string.IsNullOrEmpty(address))
        {
            outcome = new NotificationDeliveryFailed(command.NotificationId, command.Channel, "no address", clock.GetUtcNow());
        }
        else
        {
            var result = await channel.SendAsync(new OutboundNotification(address, command.Title, command.Body), ct);
            outcome = result.Delivered
                ? new NotificationDelivered(command.NotificationId, command.Channel, clock.GetUtcNow())
                : new NotificationDeliveryFailed(command.NotificationId, command.Channel, result.Detail, clock.GetUtcNow());
            if (!result.Delivered)
            {
                logger.LogWarning("Notification {NotificationId} not delivered by {Channel}: {Detail}",
                    command.NotificationId, command.Channel, result.Detail);
            }
        }

        session.Events.Append(command.NotificationId, outcome);
    }
}
