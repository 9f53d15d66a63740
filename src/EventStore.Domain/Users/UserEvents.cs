using EventStore.Domain.Privacy;

namespace EventStore.Domain.Users;

// Domain events of the Users module. Positional, past tense, carrying their own facts.
// Once shipped, an event changes only by a new version plus an upcaster (docs/events.md).
// Personal data (username, e-mail, display name, bio, free-text reasons) is sealed under the user's own key
// (SealedText), so erasing the user deletes one key and leaves every event, and the hash chain, intact.

public sealed record UserRegistered(
    Guid UserId, SealedText Username, SealedText Email, SealedText DisplayName, DateTimeOffset RegisteredAt);

public sealed record UserProfileUpdated(Guid UserId, SealedText DisplayName, SealedText? Bio, DateTimeOffset UpdatedAt);

public sealed record UserEmailChanged(Guid UserId, SealedText Email, DateTimeOffset ChangedAt);

public sealed record UserRoleAssigned(Guid UserId, string Role, Guid AssignedBy, DateTimeOffset AssignedAt);

public sealed record UserRoleRevoked(Guid UserId, string Role, Guid RevokedBy, DateTimeOffset RevokedAt);

public sealed record UserDeactivated(Guid UserId, SealedText? Reason, Guid DeactivatedBy, DateTimeOffset DeactivatedAt);

/// <summary>
/// GDPR erasure (crypto-shredding): the user's key was deleted in the same transaction, so every sealed value of
/// theirs is unreadable from now on. Implies deactivation. Read models drop the user's personal data on this event.
/// </summary>
public sealed record PersonalDataErased(Guid UserId, Guid ErasedBy, DateTimeOffset ErasedAt);

/// <summary>The password changed (the new hash lives only in the account document, never here). Ends every other session.</summary>
public sealed record UserPasswordChanged(Guid UserId, Guid? KeptSessionId, DateTimeOffset ChangedAt);

/// <summary>`logoutEverywhere`: every session of the user ended, every token of theirs refused from the next request on.</summary>
public sealed record UserSessionsRevoked(Guid UserId, Guid RevokedBy, DateTimeOffset RevokedAt);

/// <summary>TOTP enrolment began: the shared secret, sealed under the user's key (erasure shreds it). Not active yet.</summary>
public sealed record MfaEnrolmentStarted(Guid UserId, SealedText Secret, DateTimeOffset StartedAt);

/// <summary>The user proved they hold the secret: a second factor is required at every login from now on.</summary>
public sealed record MfaEnabled(Guid UserId, DateTimeOffset EnabledAt);

/// <summary>A second factor was used: `totp` (with its time step, which can never be used again) or a one-time `recovery` code.</summary>
public sealed record MfaCodeUsed(Guid UserId, string Method, long? TimeStep, DateTimeOffset UsedAt);

/// <summary>The second factor was turned off (with a valid code); the secret and the recovery codes are void.</summary>
public sealed record MfaDisabled(Guid UserId, DateTimeOffset DisabledAt);
