namespace EventStore.Domain.Users;

/// <summary>
/// Slim write model: only what the Users deciders need. Rebuilt from the stream by Marten (live aggregation);
/// screens read the UserProfile projection instead.
/// </summary>
public sealed class User
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Username { get; set; } = "";
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? Bio { get; set; }
    public HashSet<string> Roles { get; set; } = [];
    public bool IsActive { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }

    public void Apply(UserRegistered e)
    {
        Id = e.UserId;
        Username = e.Username;
        Email = e.Email;
        DisplayName = e.DisplayName;
        Roles = [Users.Roles.Trader];
        IsActive = true;
        RegisteredAt = e.RegisteredAt;
    }

    public void Apply(UserProfileUpdated e)
    {
        DisplayName = e.DisplayName;
        Bio = e.Bio;
    }

    public void Apply(UserEmailChanged e) => Email = e.Email;

    public void Apply(UserRoleAssigned e) => Roles.Add(e.Role);

    public void Apply(UserRoleRevoked e) => Roles.Remove(e.Role);

    public void Apply(UserDeactivated e) => IsActive = false;
}
