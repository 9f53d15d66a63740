namespace EventStore.Domain.Users;

// Domain events of the Users module. Positional, past tense, carrying their own facts.
// Once shipped, an event changes only by a new version plus an upcaster (docs/events.md).

public sealed record UserRegistered(
    Guid UserId, string Username, string Email, string DisplayName, DateTimeOffset RegisteredAt);

public sealed record UserProfileUpdated(Guid UserId, string DisplayName, string? Bio, DateTimeOffset UpdatedAt);

public sealed record UserEmailChanged(Guid UserId, string Email, DateTimeOffset ChangedAt);

public sealed record UserRoleAssigned(Guid UserId, string Role, Guid AssignedBy, DateTimeOffset AssignedAt);

public sealed record UserRoleRevoked(Guid UserId, string Role, Guid RevokedBy, DateTimeOffset RevokedAt);

public sealed record UserDeactivated(Guid UserId, string? Reason, Guid DeactivatedBy, DateTimeOffset DeactivatedAt);
