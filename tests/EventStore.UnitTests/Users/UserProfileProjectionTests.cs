using System.Text.Json;
using EventStore.Domain.Users;
using EventStore.Projections.Users;
using static EventStore.UnitTests.PersonalDataFixture;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class UserProfileProjectionTests
{
    private static readonly DateTimeOffset T1 = RegisteredAt.AddDays(1);
    private static readonly DateTimeOffset T2 = RegisteredAt.AddDays(2);

    private static UserProfile Project(params object[] since) => ProjectWith(OpenerFor(UserId), since);

    private static UserProfile ProjectWith(Domain.Privacy.PersonalDataOpener personal, params object[] since)
    {
        var view = UserProfileProjection.Start(Registered, personal);
        foreach (var e in since)
        {
            switch (e)
            {
                case UserProfileUpdated x: UserProfileProjection.Fold(x, view, personal); break;
                case UserEmailChanged x: UserProfileProjection.Fold(x, view, personal); break;
                case PersonalDataErased x: UserProfileProjection.Fold(x, view); break;
                case UserRoleAssigned x: UserProfileProjection.Fold(x, view); break;
                case UserRoleRevoked x: UserProfileProjection.Fold(x, view); break;
                case UserDeactivated x: UserProfileProjection.Fold(x, view); break;
                default: throw new ArgumentException($"Not projected: {e.GetType().Name}", nameof(since));
            }
        }

        return view;
    }

    [Fact]
    public void registration_creates_an_active_trader_profile_stamped_with_the_registration_time()
    {
        var view = UserProfileProjection.Start(
            new UserRegistered(UserId, Seal(UserId, "Alice.Smith"), Seal(UserId, "alice@example.com"), Seal(UserId, "Alice S."), RegisteredAt),
            OpenerFor(UserId));

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
        var view = Project(new UserProfileUpdated(UserId, Seal(UserId, "Alice S."), Seal(UserId, "Trades FX."), T1));

        Assert.Equal(("Alice S.", "Trades FX.", T1), (view.DisplayName, view.Bio, view.UpdatedAt));
        Assert.Equal(RegisteredAt, view.RegisteredAt);
    }

    [Fact]
    public void an_email_change_updates_the_email_at_the_events_time()
    {
        var view = Project(new UserEmailChanged(UserId, Seal(UserId, "alice@work.example"), T1));

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
        var view = Project(new UserDeactivated(UserId, Seal(UserId, "left"), AdminId, T2));

        Assert.False(view.IsActive);
        Assert.Equal(T2, view.DeactivatedAt);
        Assert.Equal(T2, view.UpdatedAt);
    }

    [Fact]
    public void projecting_the_same_events_twice_gives_the_same_profile()
    {
        object[] history =
        [
            new UserProfileUpdated(UserId, Seal(UserId, "Alice S."), Seal(UserId, "Trades FX."), T1),
            new UserRoleAssigned(UserId, Roles.Analyst, AdminId, T1),
            new UserEmailChanged(UserId, Seal(UserId, "alice@work.example"), T2),
            new UserDeactivated(UserId, null, AdminId, T2),
        ];

        Assert.Equal(JsonSerializer.Serialize(Project(history)), JsonSerializer.Serialize(Project(history)));
    }

    [Fact]
    public void erasure_clears_every_personal_field_and_keeps_the_pseudonymous_rest()
    {
        var erasedAt = RegisteredAt.AddDays(3);
        var view = Project(
            new UserProfileUpdated(UserId, Seal(UserId, "Alice S."), Seal(UserId, "Trades FX."), T1),
            new UserRoleAssigned(UserId, Roles.Analyst, AdminId, T1),
            new PersonalDataErased(UserId, AdminId, erasedAt));

        Assert.Equal((null, null, null, null), (view.Username, view.Email, view.DisplayName, view.Bio));
        Assert.Equal(UserProfile.ErasedKey(UserId), view.UsernameKey);
        Assert.Equal((true, false, erasedAt, erasedAt), (view.IsErased, view.IsActive, view.ErasedAt, view.DeactivatedAt));
        Assert.Equal([Roles.Analyst, Roles.Trader], view.Roles);
    }

    [Fact]
    public void a_rebuild_after_the_key_is_gone_gives_the_same_profile_as_the_live_projection()
    {
        object[] history =
        [
            new UserProfileUpdated(UserId, Seal(UserId, "Alice S."), Seal(UserId, "Trades FX."), T1),
            new UserEmailChanged(UserId, Seal(UserId, "alice@work.example"), T2),
            new PersonalDataErased(UserId, AdminId, T2.AddHours(1)),
        ];

        var live = ProjectWith(OpenerFor(UserId), history);   // projected while the key still existed
        var rebuilt = ProjectWith(ErasedOpener, history);     // replayed after the key was deleted

        Assert.Equal(JsonSerializer.Serialize(live), JsonSerializer.Serialize(rebuilt));
    }
}
