using System.Text.Json;
using EventStore.Domain.Users;
using EventStore.Projections.Users;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class UserProfileProjectionTests
{
    private static readonly DateTimeOffset T1 = RegisteredAt.AddDays(1);
    private static readonly DateTimeOffset T2 = RegisteredAt.AddDays(2);

    private static UserProfile Project(params object[] since)
    {
        var view = UserProfileProjection.Create(Registered);
        foreach (var e in since)
        {
            switch (e)
            {
                case UserProfileUpdated x: UserProfileProjection.Apply(x, view); break;
                case UserEmailChanged x: UserProfileProjection.Apply(x, view); break;
                case UserRoleAssigned x: UserProfileProjection.Apply(x, view); break;
                case UserRoleRevoked x: UserProfileProjection.Apply(x, view); break;
                case UserDeactivated x: UserProfileProjection.Apply(x, view); break;
                default: throw new ArgumentException($"Not projected: {e.GetType().Name}", nameof(since));
            }
        }

        return view;
    }

    [Fact]
    public void registration_creates_an_active_trader_profile_stamped_with_the_registration_time()
    {
        var view = UserProfileProjection.Create(
            new UserRegistered(UserId, "Alice.Smith", "alice@example.com", "Alice S.", RegisteredAt));

        Assert.Equal(UserId, view.Id);
        Assert.Equal("Alice.Smith", view.Username);
        Assert.Equal("alice.smith", view.UsernameKey);
        Assert.Equal("alice@example.com", view.Email);
        Assert.Equal("Alice S.", view.DisplayName);
        Assert.Null(view.Bio);
        Assert.Equal([Roles.Trader], view.Roles);
        Assert.True(view.IsActive);
        Assert.Equal(RegisteredAt, view.RegisteredAt);
        Assert.Equal(RegisteredAt, view.UpdatedAt);
        Assert.Null(view.DeactivatedAt);
    }

    [Fact]
    public void a_profile_update_changes_name_and_bio_at_the_events_time()
    {
        var view = Project(new UserProfileUpdated(UserId, "Alice S.", "Trades FX.", T1));

        Assert.Equal(("Alice S.", "Trades FX.", T1), (view.DisplayName, view.Bio, view.UpdatedAt));
        Assert.Equal(RegisteredAt, view.RegisteredAt);
    }

    [Fact]
    public void an_email_change_updates_the_email_at_the_events_time()
    {
        var view = Project(new UserEmailChanged(UserId, "alice@work.example", T1));

        Assert.Equal(("alice@work.example", T1), (view.Email, view.UpdatedAt));
    }

    [Fact]
    public void roles_stay_sorted_and_without_duplicates()
    {
        var view = Project(
            new UserRoleAssigned(UserId, Roles.Auditor, AdminId, T1),
            new UserRoleAssigned(UserId, Roles.Admin, AdminId, T1),
            new UserRoleAssigned(UserId, Roles.Auditor, AdminId, T1),
            new UserRoleAssigned(UserId, Roles.Analyst, AdminId, T2));

        Assert.Equal([Roles.Admin, Roles.Analyst, Roles.Auditor, Roles.Trader], view.Roles);
        Assert.Equal(T2, view.UpdatedAt);
    }

    [Fact]
    public void a_revoked_role_is_removed_at_the_events_time()
    {
        var view = Project(
            new UserRoleAssigned(UserId, Roles.Admin, AdminId, T1),
            new UserRoleRevoked(UserId, Roles.Trader, AdminId, T2));

        Assert.Equal([Roles.Admin], view.Roles);
        Assert.Equal(T2, view.UpdatedAt);
    }

    [Fact]
    public void revoking_a_role_not_held_leaves_the_roles_alone() =>
        Assert.Equal([Roles.Trader], Project(new UserRoleRevoked(UserId, Roles.Auditor, AdminId, T1)).Roles);

    [Fact]
    public void deactivation_marks_the_profile_inactive_at_the_events_time()
    {
        var view = Project(new UserDeactivated(UserId, "left", AdminId, T2));

        Assert.False(view.IsActive);
        Assert.Equal(T2, view.DeactivatedAt);
        Assert.Equal(T2, view.UpdatedAt);
    }

    [Fact]
    public void projecting_the_same_events_twice_gives_the_same_profile()
    {
        object[] history =
        [
            new UserProfileUpdated(UserId, "Alice S.", "Trades FX.", T1),
            new UserRoleAssigned(UserId, Roles.Analyst, AdminId, T1),
            new UserEmailChanged(UserId, "alice@work.example", T2),
            new UserDeactivated(UserId, null, AdminId, T2),
        ];

        Assert.Equal(JsonSerializer.Serialize(Project(history)), JsonSerializer.Serialize(Project(history)));
    }
}
