using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Users;

/// <summary>
/// Async projection: one profile per user stream. A pure function of the events and of the user's key: every
/// timestamp comes from an event, sealed fields are opened with the key stored next to the events, and
/// <see cref="PersonalDataErased"/> clears them. So a rebuild gives the same rows, before and after an erasure.
/// </summary>
public sealed class UserProfileProjection : SingleStreamProjection<UserProfile, Guid>
{
    private readonly PersonalDataProtector _protector;

    /// <summary>Filtered on the module's event types: the shards never load other modules' events (docs/performance.md).</summary>
    public UserProfileProjection(PersonalDataProtector protector)
    {
        _protector = protector;
        IncludedEventTypes.AddRange(UsersModule.EventTypes);
    }

    public override async ValueTask<UserProfile?> EvolveAsync(
        UserProfile? snapshot, Guid id, IQuerySession session, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case UserRegistered registered:
                return Start(registered, await _protector.OpenerAsync(session, [registered.UserId], cancellation));
            case UserProfileUpdated updated when snapshot is not null:
                Fold(updated, snapshot, await _protector.OpenerAsync(session, [updated.UserId], cancellation));
                return snapshot;
            case UserEmailChanged changed when snapshot is not null:
                Fold(changed, snapshot, await _protector.OpenerAsync(session, [changed.UserId], cancellation));
                return snapshot;
            case UserRoleAssigned assigned when snapshot is not null:
                Fold(assigned, snapshot);
                return snapshot;
            case UserRoleRevoked revoked when snapshot is not null:
                Fold(revoked, snapshot);
                return snapshot;
            case UserDeactivated deactivated when snapshot is not null:
                Fold(deactivated, snapshot);
                return snapshot;
            case PersonalDataErased erased when snapshot is not null:
                Fold(erased, snapshot);
                return snapshot;
            default:
                return snapshot;
        }
    }

    public static UserProfile Start(UserRegistered e, PersonalDataOpener personal)
    {
        var username = personal.Open(e.Username);
        return new UserProfile
        {
            Id = e.UserId,
            Username = username,
            UsernameKey = username?.ToLowerInvariant() ?? UserProfile.ErasedKey(e.UserId),
            Email = personal.Open(e.Email),
            DisplayName = personal.Open(e.DisplayName),
            Roles = [Roles.Trader],
            IsActive = true,
            RegisteredAt = e.RegisteredAt,
            UpdatedAt = e.RegisteredAt,
        };
    }

    public static void Fold(UserProfileUpdated e, UserProfile view, PersonalDataOpener personal)
    {
        view.DisplayName = personal.Open(e.DisplayName);
        view.Bio = personal.Open(e.Bio);
        view.UpdatedAt = e.UpdatedAt;
    }

    public static void Fold(UserEmailChanged e, UserProfile view, PersonalDataOpener personal)
    {
        view.Email = personal.Open(e.Email);
        view.UpdatedAt = e.ChangedAt;
    }

    public static void Fold(UserRoleAssigned e, UserProfile view)
    {
        if (!view.Roles.Contains(e.Role))
        {
            view.Roles.Add(e.Role);
            view.Roles.Sort(StringComparer.Ordinal);
        }

        view.UpdatedAt = e.AssignedAt;
    }

    public static void Fold(UserRoleRevoked e, UserProfile view)
    {
        view.Roles.Remove(e.Role);
        view.UpdatedAt = e.RevokedAt;
    }

    public static void Fold(UserDeactivated e, UserProfile view)
    {
        view.IsActive = false;
        view.DeactivatedAt = e.DeactivatedAt;
        view.UpdatedAt = e.DeactivatedAt;
    }

    public static void Fold(PersonalDataErased e, UserProfile view)
    {
        view.Username = view.Email = view.DisplayName = view.Bio = null;
        view.UsernameKey = UserProfile.ErasedKey(e.UserId);
        view.IsActive = false;
        view.IsErased = true;
        view.DeactivatedAt ??= e.ErasedAt;
        view.ErasedAt = e.ErasedAt;
        view.UpdatedAt = e.ErasedAt;
    }
}
