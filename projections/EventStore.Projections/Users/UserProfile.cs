namespace EventStore.Projections.Users;

/// <summary>The user directory and profile read model: what `me`, `user(id)` and `users(...)` read.</summary>
public sealed class UserProfile
{
    public Guid Id { get; set; }
    public string Username { get; set; } = "";

    /// <summary>Lower-cased username: the keyset-paging and prefix-filter column.</summary>
    public string UsernameKey { get; set; } = "";

    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? Bio { get; set; }
    public List<string> Roles { get; set; } = [];
    public bool IsActive { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>Stream version this row reflects (Marten sets it from the event stream).</summary>
    public int Version { get; set; }
}
