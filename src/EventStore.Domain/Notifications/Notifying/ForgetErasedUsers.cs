using EventStore.Contracts.Compliance;
using Marten;

namespace EventStore.Domain.Notifications.Notifying;

/// <summary>Erasure: the phone number is the only personal data this module holds outside events; delete it.</summary>
public static class ForgetErasedUsersHandler
{
    public static async Task Handle(PersonalDataErased e, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await ProcessedIntegrationEvent.TryClaimAsync(session, NotificationsModule.Consumer, e, clock, ct))
        {
            session.Delete<NotificationContact>(e.UserId);
        }
    }
}
