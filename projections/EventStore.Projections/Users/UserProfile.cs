namespace EventStore.Projections.Users;

/// <summary>
/// The user directory and profile read model: what `me`, `user(id)` and `users(...)` read. Holds personal data in
/// clear (opened from the events with the user's key) until the user is erased; then every personal field is null.
/// </summary>
public sealed class UserProfile
{
    public Guid Id { get; set; }
    public string? Username { get; set; }

    /// <summary>Lower-cased username: the keyset-paging and prefix-filter column (a non-personal key once erased).</summary>
    public string UsernameKey { get; set; } = "";

    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Bio { get; set; }
    public List<string> Roles { get; set; } = [];
    public bool IsActive { get; set; }
    public bool IsErased { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeactivatedAt { get; set; }
    public DateTimeOffset? ErasedAt { get; set; }

    /// <summary>Stream version this row reflects (Marten sets it from the event stream).</summary>
    public int Version { get; set; }

    /// <summary>The paging key of an erased user: sorts after every real username and matches no name prefix.</summary>
    public static string ErasedKey(Guid id) => "~erased:" + id.ToString("N");
}
