using EventStore.Domain.Users;
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
        Assert.Equal("Alice", user.Username);
        Assert.Equal("alice@example.com", user.Email);
        Assert.Equal("Alice", user.DisplayName);
        Assert.Null(user.Bio);
        Assert.Equal([Roles.Trader], user.Roles);
        Assert.True(user.IsActive);
        Assert.Equal(RegisteredAt, user.RegisteredAt);
    }

    [Fact]
    public void a_profile_update_replaces_display_name_and_bio()
    {
        var user = RegisteredUser(
            new UserProfileUpdated(UserId, "Al", "Trades FX.", Now),
            new UserProfileUpdated(UserId, "Alice S.", null, Now.AddMinutes(1)));

        Assert.Equal("Alice S.", user.DisplayName);
        Assert.Null(user.Bio);
        Assert.Equal("Alice", user.Username);
    }

    [Fact]
    public void an_email_change_replaces_the_email() =>
        Assert.Equal("alice@work.example", RegisteredUser(new UserEmailChanged(UserId, "alice@work.example", Now)).Email);

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
        history.AddRange(Domain.Users.EditingProfiles.UpdateProfileHandler.Handle(
            new(UserId, "Alice S.", "Trades FX."), user, Clock));
        history.AddRange(Domain.Users.ManagingRoles.AssignRoleHandler.Handle(
            new(UserId, Roles.Analyst, AdminId), Replay(history), Clock));
        history.AddRange(Domain.Users.Deactivating.DeactivateUserHandler.Handle(
            new(UserId, null, AdminId), Replay(history), Clock));

        var rebuilt = Replay(history);

        Assert.Equal(("Alice S.", "Trades FX.", false), (rebuilt.DisplayName, rebuilt.Bio, rebuilt.IsActive));
        Assert.Equal([Roles.Analyst, Roles.Trader], rebuilt.Roles.Order(StringComparer.Ordinal));
    }
}
