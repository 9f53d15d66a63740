namespace EventStore.Domain.Users;

/// <summary>
/// Login credentials and the unique keys of a user, stored as a Marten document in the same transaction as the
/// user's events. Unique indexes on the normalised username and e-mail make the database, not a pre-check,
/// decide races between concurrent registrations. The password hash lives only here, never in an event.
/// </summary>
public sealed class UserAccount
{
    public Guid Id { get; set; }
    public string Username { get; set; } = "";
    public string Email { get; set; } = "";
    public string PasswordHash { get; set; } = "";

    /// <summary>SHA-256 of each unused MFA recovery code (one-time; random 80-bit codes, so a fast hash is enough).</summary>
    public List<string> RecoveryCodeHashes { get; set; } = [];

    public static string Normalize(string value) => value.Trim().ToLowerInvariant();
}
