using EventStore.Domain.Users;
using static EventStore.UnitTests.PersonalDataFixture;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class UserTests
{
    [Fact]
    public void a_user_without_events_does_not_exist_and_is_inactive()
    {
        var user = Replay([]);

        Assert.Equal(Guid.Empty, user.Id);
        Assert.False(user.IsActive);
        Assert.Empty(user.Roles);
    }

    [Fact]
    public void a_registered_user_is_an_active_trader()
    {
        var user = RegisteredUser();

        Assert.Equal(UserId, user.Id);
        Assert.Equal("Alice", Open(user.Username));
        Assert.Equal("alice@example.com", Open(user.Email));
        Assert.Equal("Alice", Open(user.DisplayName));
        Assert.Null(user.Bio);
        Assert.Equal([Roles.Trader], user.Roles);
        Assert.True(user.IsActive);
        Assert.Equal(RegisteredAt, user.RegisteredAt);
    }

    [Fact]
    public void a_profile_update_replaces_display_name_and_bio()
    {
        var user = RegisteredUser(
            new UserProfileUpdated(UserId, Seal(UserId, "Al"), Seal(UserId, "Trades FX."), Now),
            new UserProfileUpdated(UserId, Seal(UserId, "Alice S."), null, Now.AddMinutes(1)));

        Assert.Equal("Alice S.", Open(user.DisplayName));
        Assert.Null(user.Bio);
        Assert.Equal("Alice", Open(user.Username));
    }

    [Fact]
    public void an_email_change_replaces_the_email() =>
        Assert.Equal("alice@work.example", Open(RegisteredUser(new UserEmailChanged(UserId, Seal(UserId, "alice@work.example"), Now)).Email));

    [Fact]
    public void roles_follow_assignments_and_revocations_without_duplicates()
    {
        var user = RegisteredUser(
            new UserRoleAssigned(UserId, Roles.Auditor, AdminId, Now),
            new UserRoleAssigned(UserId, Roles.Auditor, AdminId, Now),
            new UserRoleAssigned(UserId, Roles.Admin, AdminId, Now),
            new UserRoleRevoked(UserId, Roles.Trader, AdminId, Now),
            new UserRoleRevoked(UserId, Roles.Analyst, AdminId, Now));

        Assert.Equal([Roles.Admin, Roles.Auditor], user.Roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void a_deactivated_user_keeps_their_data_but_is_inactive()
    {
        var user = DeactivatedUser();

        Assert.False(user.IsActive);
        Assert.Equal(UserId, user.Id);
        Assert.Equal([Roles.Trader], user.Roles);
    }

    [Fact]
    public void the_deciders_events_rebuild_the_state_they_describe()
    {
        var user = RegisteredUser();
        var history = new List<object> { Registered };
        history.AddRange(Domain.Users.EditingProfiles.UpdateProfileHandler.Decide(
            new(UserId, "Alice S.", "Trades FX."), user, OpenerFor(UserId), SealerFor(UserId), Now));
        history.AddRange(Domain.Users.ManagingRoles.AssignRoleHandler.Handle(
            new(UserId, Roles.Analyst, AdminId), Replay(history), Clock));
        history.Add(Domain.Users.Deactivating.DeactivateUserHandler.Decide(
            new(UserId, null, AdminId), Replay(history), SealerFor(UserId), Now));

        var rebuilt = Replay(history);

        Assert.Equal(("Alice S.", "Trades FX.", false), (Open(rebuilt.DisplayName), Open(rebuilt.Bio), rebuilt.IsActive));
        Assert.Equal([Roles.Analyst, Roles.Trader], rebuilt.Roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void an_erased_user_is_inactive_and_holds_no_personal_data()
    {
        var user = RegisteredUser(new PersonalDataErased(UserId, AdminId, Now));

        Assert.True(user.IsErased);
        Assert.False(user.IsActive);
        Assert.Equal((null, null, null, null), (user.Username, user.Email, user.DisplayName, user.Bio));
        Assert.Equal([Roles.Trader], user.Roles);
    }
}
