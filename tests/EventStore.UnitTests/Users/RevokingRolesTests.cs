using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Users.ManagingRoles;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class RevokingRolesTests
{
    private readonly RevokeRole.Validator _validator = new();

    private static User Admin() =>
        Replay([
            new UserRegistered(AdminId, PersonalDataFixture.Seal(AdminId, "root"), PersonalDataFixture.Seal(AdminId, "root@example.com"),
                PersonalDataFixture.Seal(AdminId, "Root"), RegisteredAt),
            new UserRoleAssigned(AdminId, Roles.Admin, AdminId, RegisteredAt),
        ]);

    [Fact]
    public void revoking_a_held_role_records_who_revoked_it_and_when()
    {
        var events = RevokeRoleHandler.Handle(new RevokeRole(UserId, Roles.Trader, AdminId), RegisteredUser(), Clock);

        Assert.Equal([new UserRoleRevoked(UserId, Roles.Trader, AdminId, Now)], events);
    }

    [Fact]
    public void revoking_a_role_not_held_appends_nothing() =>
        Assert.Empty(RevokeRoleHandler.Handle(new RevokeRole(UserId, Roles.Auditor, AdminId), RegisteredUser(), Clock));

    [Fact]
    public void revoking_a_role_from_a_missing_user_is_not_found() =>
        Assert.Throws<NotFoundException>(() => RevokeRoleHandler.Before(new RevokeRole(UserId, Roles.Trader, AdminId), null));

    [Fact]
    public void an_admin_revoking_their_own_admin_role_is_a_conflict()
    {
        var command = new RevokeRole(AdminId, Roles.Admin, AdminId);

        Assert.Throws<ConflictException>(() => RevokeRoleHandler.Before(command, Admin()));
    }

    [Fact]
    public void an_admin_may_revoke_their_own_other_roles()
    {
        var command = new RevokeRole(AdminId, Roles.Trader, AdminId);
        RevokeRoleHandler.Before(command, Admin());

        Assert.Equal([new UserRoleRevoked(AdminId, Roles.Trader, AdminId, Now)], RevokeRoleHandler.Handle(command, Admin(), Clock));
    }

    [Fact]
    public void an_admin_may_revoke_another_admins_admin_role()
    {
        var otherAdmin = RegisteredUser(new UserRoleAssigned(UserId, Roles.Admin, AdminId, RegisteredAt));
        var command = new RevokeRole(UserId, Roles.Admin, AdminId);
        RevokeRoleHandler.Before(command, otherAdmin);

        Assert.Equal([new UserRoleRevoked(UserId, Roles.Admin, AdminId, Now)], RevokeRoleHandler.Handle(command, otherAdmin, Clock));
    }

    // Unlike assigning, revoking only requires the user to exist: an admin can still strip a deactivated user's roles.
    [Fact]
    public void revoking_a_role_from_a_deactivated_user_is_allowed()
    {
        var command = new RevokeRole(UserId, Roles.Trader, AdminId);
        RevokeRoleHandler.Before(command, DeactivatedUser());

        Assert.Single(RevokeRoleHandler.Handle(command, DeactivatedUser(), Clock));
    }

    [Theory]
    [InlineData(Roles.Trader)]
    [InlineData(Roles.Admin)]
    public void a_known_role_passes(string role) =>
        _validator.Validate(new RevokeRole(UserId, role, AdminId)).ShouldPass();

    [Theory]
    [InlineData("")]
    [InlineData("owner")]
    [InlineData("TRADER")]
    public void an_unknown_role_is_rejected(string role) =>
        _validator.Validate(new RevokeRole(UserId, role, AdminId)).ShouldFailWith("Role", "PredicateValidator");

    [Fact]
    public void empty_ids_are_rejected_once_each() =>
        _validator.Validate(new RevokeRole(Guid.Empty, Roles.Trader, Guid.Empty)).ShouldFailOn("UserId", "ActorId");

    [Fact]
    public void every_bad_field_is_reported_once() =>
        _validator.Validate(new RevokeRole(Guid.Empty, "root", Guid.Empty)).ShouldFailOn("UserId", "ActorId", "Role");
}
