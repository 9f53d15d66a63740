using EventStore.Domain.Notifications;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Notifications;

/// <summary>One in-app notification as its recipient sees it, with the external channels that delivered it.</summary>
public sealed class NotificationView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public NotificationKind Kind { get; set; }
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public Guid? SubjectId { get; set; }
    public long SourceSequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public List<NotificationChannel> DeliveredBy { get; set; } = [];
    public List<NotificationChannel> FailedOn { get; set; } = [];

    public static NotificationView From(NotificationCreated e) => new()
    {
        Id = e.NotificationId, UserId = e.UserId, Kind = e.Kind, Title = e.Title, Body = e.Body, SubjectId = e.SubjectId,
        SourceSequence = e.SourceSequence, CreatedAt = e.CreatedAt,
    };
}

public sealed class NotificationViewProjection : SingleStreamProjection<NotificationView, Guid>
{
    public static NotificationView Create(NotificationCreated e) => NotificationView.From(e);

    public static void Apply(NotificationRead e, NotificationView view) => view.ReadAt ??= e.ReadAt;

    public static void Apply(NotificationDelivered e, NotificationView view)
    {
        if (!view.DeliveredBy.Contains(e.Channel))
        {
            view.DeliveredBy.Add(e.Channel);
        }
    }

    public static void Apply(NotificationDeliveryFailed e, NotificationView view)
    {
        if (!view.FailedOn.Contains(e.Channel))
        {
            view.FailedOn.Add(e.Channel);
        }
    }
}
