using EventStore.Domain.Users;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Users;

/// <summary>
/// Async projection: one profile per user stream. A pure function of the events: every timestamp comes from an
/// event, so a rebuild gives the same rows.
/// </summary>
public sealed class UserProfileProjection : SingleStreamProjection<UserProfile, Guid>
{
    public static UserProfile Create(UserRegistered e) => new()
    {
        Id = e.UserId,
        Username = e.Username,
        UsernameKey = e.Username.ToLowerInvariant(),
        Email = e.Email,
        DisplayName = e.DisplayName,
        Roles = [Roles.Trader],
        IsActive = true,
        RegisteredAt = e.RegisteredAt,
        UpdatedAt = e.RegisteredAt,
    };

    public static void Apply(UserProfileUpdated e, UserProfile view)
    {
        view.DisplayName = e.DisplayName;
        view.Bio = e.Bio;
        view.UpdatedAt = e.UpdatedAt;
    }

    public static void Apply(UserEmailChanged e, UserProfile view)
    {
        view.Email = e.Email;
        view.UpdatedAt = e.ChangedAt;
    }

    public static void Apply(UserRoleAssigned e, UserProfile view)
    {
        if (!view.Roles.Contains(e.Role))
        {
            view.Roles.Add(e.Role);
            view.Roles.Sort(StringComparer.Ordinal);
        }

        view.UpdatedAt = e.AssignedAt;
    }

    public static void Apply(UserRoleRevoked e, UserProfile view)
    {
        view.Roles.Remove(e.Role);
        view.UpdatedAt = e.RevokedAt;
    }

    public static void Apply(UserDeactivated e, UserProfile view)
    {
        view.IsActive = false;
        view.DeactivatedAt = e.DeactivatedAt;
        view.UpdatedAt = e.DeactivatedAt;
    }
}
