namespace EventStore.Contracts.Users;

// Outbound facts of the Users module. No username, e-mail or display name: those are personal data.

/// <summary>A user registered. Key: the user id.</summary>
[IntegrationEvent(IntegrationModules.Users, "user-registered", 1)]
public sealed record UserRegistered(Guid UserId, DateTimeOffset RegisteredAt) : IntegrationEvent;
