namespace EventStore.Domain.Notifications;

// Domain events of the Notifications module: one stream per notification (id derived from the integration event and
// the recipient, NotificationIds), one preferences stream per user.

/// <summary>An in-app notification for one user, caused by the integration event <paramref name="SourceEventId"/>.</summary>
public sealed record NotificationCreated(
    Guid NotificationId, Guid UserId, NotificationKind Kind, string Title, string Body, Guid SourceEventId,
    long SourceSequence, Guid? SubjectId, DateTimeOffset CreatedAt);

public sealed record NotificationRead(Guid NotificationId, Guid UserId, DateTimeOffset ReadAt);

/// <summary>An external channel (e-mail, SMS) accepted the notification.</summary>
public sealed record NotificationDelivered(Guid NotificationId, NotificationChannel Channel, DateTimeOffset DeliveredAt);

/// <summary>An external channel refused it, or stayed unavailable through every retry. Detail: status or error, no content.</summary>
public sealed record NotificationDeliveryFailed(Guid NotificationId, NotificationChannel Channel, string Detail, DateTimeOffset FailedAt);

/// <summary>The user's choice of external channels. In-app is always on.</summary>
public sealed record NotificationPreferencesChanged(Guid UserId, bool Email, bool Sms, DateTimeOffset ChangedAt);

public enum NotificationKind
{
    OrderFilled,
    OrderRejected,
    OrderExpired,
    Mentioned,
    AssistantAnswered,

    /// <summary>Someone started following you (Community).</summary>
    Followed,
}

public enum NotificationChannel
{
    InApp,
    Email,
    Sms,
}
