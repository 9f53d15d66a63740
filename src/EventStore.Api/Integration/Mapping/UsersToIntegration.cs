using Out = EventStore.Contracts.Users;
using In = EventStore.Domain.Users;

namespace EventStore.Api.Integration;

public static class UsersToIntegration
{
    /// <summary>Only the fact and the id leave: username, e-mail and display name are personal data.</summary>
    public static IntegrationEventMap MapUsers(this IntegrationEventMap map) => map
        .Map<In.UserRegistered>(e => new Out.UserRegistered(e.UserId, e.RegisteredAt))
        // Downstream services must forget what they hold about the user (the Notifications module drops the phone number).
        .Map<In.PersonalDataErased>(e => new EventStore.Contracts.Compliance.PersonalDataErased(e.UserId, e.ErasedAt));
}
