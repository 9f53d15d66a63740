namespace EventStore.Domain.Users.Sessions;

/// <summary>
/// What a bearer token is checked against: the user's security stamp, whether they may sign in, and their roles.
/// Projected inline (same transaction as the event) because the very next request must see it. The stamp counts the
/// events that change who the user is to the API (deactivation, erasure, role grants and revocations, password change,
/// logout everywhere): every access token carries the stamp it was issued under and is refused once it moved on.
/// A pure function of the events: rebuilds give the same stamps, so tokens survive a rebuild.
/// </summary>
public sealed class UserSecurity
{
    public Guid Id { get; set; }
    public long Stamp { get; set; }
    public bool IsActive { get; set; }
    public List<string> Roles { get; set; } = [];
    public bool MfaEnabled { get; set; }

    public void Apply(UserRegistered e)
    {
        Id = e.UserId;
        IsActive = true;
        Roles = [Users.Roles.Trader];
    }

    public void Apply(UserRoleAssigned e)
    {
        if (!Roles.Contains(e.Role))
        {
            Roles.Add(e.Role);
        }

        Stamp++;
    }

    public void Apply(UserRoleRevoked e)
    {
        Roles.Remove(e.Role);
        Stamp++;
    }

    public void Apply(UserDeactivated e)
    {
        IsActive = false;
        Stamp++;
    }

    public void Apply(PersonalDataErased e)
    {
        IsActive = false;
        Stamp++;
    }

    public void Apply(UserPasswordChanged e) => Stamp++;

    public void Apply(MfaEnabled e) => MfaEnabled = true;

    public void Apply(MfaDisabled e) => MfaEnabled = false;

    public void Apply(UserSessionsRevoked e) => Stamp++;

    /// <summary>The event types that move the stamp: whoever changes one of them must tell every node (SessionGuard).</summary>
    public static readonly IReadOnlySet<Type> StampEvents = new HashSet<Type>
    {
        typeof(UserRoleAssigned), typeof(UserRoleRevoked), typeof(UserDeactivated), typeof(PersonalDataErased),
        typeof(UserPasswordChanged), typeof(UserSessionsRevoked),
    };
}
