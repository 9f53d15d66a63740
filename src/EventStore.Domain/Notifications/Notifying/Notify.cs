using EventStore.Contracts;
using EventStore.Domain.Notifications.Delivering;
using Marten;
using Wolverine;

namespace EventStore.Domain.Notifications.Notifying;

/// <summary>
/// The one way an integration event becomes a notification: claim the event (dedupe), start the notification's
/// stream, and cascade one delivery per external channel the user chose. All in the handler's transaction, so the
/// deliveries wait in the durable outbox if the process dies after the commit.
/// </summary>
public static class Notify
{
    public static async Task<OutgoingMessages> UserAsync(IDocumentSession session, IntegrationEvent source, Guid userId,
        NotificationKind kind, string title, string body, Guid? subjectId, TimeProvider clock, CancellationToken ct)
    {
        var outgoing = new OutgoingMessages();
        if (!await ProcessedIntegrationEvent.TryClaimAsync(session, NotificationsModule.Consumer, source, clock, ct))
        {
            return outgoing; // a redelivery: already notified
        }

        var id = NotificationIds.For(source.EventId, userId);
        session.Events.StartStream<Notification>(id,
            new NotificationCreated(id, userId, kind, title, body, source.EventId, source.Sequence, subjectId, clock.GetUtcNow()));

        var preferences = await session.Events.AggregateStreamAsync<NotificationPreferences>(NotificationIds.PreferencesOf(userId), token: ct);
        if (preferences?.Email == true)
        {
            outgoing.Add(new DeliverNotification(id, userId, NotificationChannel.Email, title, body));
        }

        if (preferences?.Sms == true)
        {
            outgoing.Add(new DeliverNotification(id, userId, NotificationChannel.Sms, title, body));
        }

        return outgoing;
    }

    /// <summary>Consumes without notifying anyone, still recording the event as processed.</summary>
    public static async Task<OutgoingMessages> NobodyAsync(IDocumentSession session, IntegrationEvent source, TimeProvider clock,
        CancellationToken ct)
    {
        await ProcessedIntegrationEvent.TryClaimAsync(session, NotificationsModule.Consumer, source, clock, ct);
        return [];
    }

    public static string Quantity(decimal value) => value.ToString("0.########", System.Globalization.CultureInfo.InvariantCulture);
}
