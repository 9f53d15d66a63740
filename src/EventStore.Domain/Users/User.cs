using EventStore.Domain.Privacy;

namespace EventStore.Domain.Users;

/// <summary>
/// Slim write model: only what the Users deciders need. Rebuilt from the stream by Marten (live aggregation);
/// screens read the UserProfile projection instead. Personal fields stay sealed here: whoever shows them opens
/// them with the user's key (and gets nothing once the user is erased).
/// </summary>
public sealed class User
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public SealedText? Username { get; set; }
    public SealedText? Email { get; set; }
    public SealedText? DisplayName { get; set; }
    public SealedText? Bio { get; set; }
    public HashSet<string> Roles { get; set; } = [];
    public bool IsActive { get; set; }
    public bool IsErased { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public SealedText? MfaPendingSecret { get; set; }
    public SealedText? MfaSecret { get; set; }
    public bool MfaEnabled { get; set; }
    public long MfaLastTimeStep { get; set; } = -1;

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

    public void Apply(PersonalDataErased e)
    {
        IsActive = false;
        IsErased = true;
        Username = Email = DisplayName = Bio = null;
        MfaPendingSecret = MfaSecret = null;
    }

    public void Apply(MfaEnrolmentStarted e) => MfaPendingSecret = e.Secret;

    public void Apply(MfaEnabled e)
    {
        MfaSecret = MfaPendingSecret;
        MfaPendingSecret = null;
        MfaEnabled = true;
    }

    public void Apply(MfaCodeUsed e)
    {
        if (e.TimeStep is { } step && step > MfaLastTimeStep)
        {
            MfaLastTimeStep = step;
        }
    }

    public void Apply(MfaDisabled e)
    {
        MfaEnabled = false;
        MfaSecret = MfaPendingSecret = null;
    }
}
