using FluentValidation;
using Marten;

namespace EventStore.Domain.Notifications.Reading;

/// <summary>The recipient marks one of their notifications read. Marking it again is a no-op.</summary>
public sealed record MarkNotificationRead(Guid NotificationId, Guid UserId)
{
    public sealed class Validator : AbstractValidator<MarkNotificationRead>
    {
        public Validator()
        {
            RuleFor(x => x.NotificationId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
        }
    }
}

public static class MarkNotificationReadHandler
{
    public static async Task Handle(MarkNotificationRead command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Notification>(command.NotificationId, ct);
        // Someone else's notification is indistinguishable from a missing one.
        if (stream.Aggregate is not { } notification || notification.UserId != command.UserId)
        {
            throw new NotFoundException("No such notification.");
        }

        if (!notification.IsRead)
        {
            stream.AppendOne(new NotificationRead(notification.Id, command.UserId, clock.GetUtcNow()));
        }
    }
}
