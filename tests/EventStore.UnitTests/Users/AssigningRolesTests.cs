using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Users.ManagingRoles;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class AssigningRolesTests
{
    private readonly AssignRole.Validator _validator = new();

    [Fact]
    public void assigning_a_new_role_records_who_assigned_it_and_when()
    {
        var events = AssignRoleHandler.Handle(new AssignRole(UserId, Roles.Auditor, AdminId), RegisteredUser(), Clock);

        Assert.Equal([new UserRoleAssigned(UserId, Roles.Auditor, AdminId, Now)], events);
    }

    [Fact]
    public void assigning_a_role_already_held_appends_nothing()
    {
        var user = RegisteredUser(new UserRoleAssigned(UserId, Roles.Analyst, AdminId, RegisteredAt.AddDays(1)));

        Assert.Empty(AssignRoleHandler.Handle(new AssignRole(UserId, Roles.Analyst, AdminId), user, Clock));
        Assert.Empty(AssignRoleHandler.Handle(new AssignRole(UserId, Roles.Trader, AdminId), user, Clock));
    }

    [Fact]
    public void assigning_a_role_to_a_missing_user_is_not_found() =>
        Assert.Throws<NotFoundException>(() => AssignRoleHandler.Before(null));

    [Fact]
    public void assigning_a_role_to_a_deactivated_user_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => AssignRoleHandler.Before(DeactivatedUser()));

    [Theory]
    [InlineData(Roles.Trader)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Admin)]
    public void every_known_role_passes(string role) =>
        _validator.Validate(new AssignRole(UserId, role, AdminId)).ShouldPass();

    [Theory]
    [InlineData("")]
    [InlineData("superuser")]
    [InlineData("Admin")]
    [InlineData(" admin")]
    public void an_unknown_role_is_rejected(string role) =>
        _validator.Validate(new AssignRole(UserId, role, AdminId)).ShouldFailWith("Role", "PredicateValidator");

    [Fact]
    public void an_empty_user_id_is_rejected() =>
        _validator.Validate(new AssignRole(Guid.Empty, Roles.Auditor, AdminId)).ShouldFailWith("UserId", "NotEmptyValidator");

    [Fact]
    public void an_empty_actor_id_is_rejected() =>
        _validator.Validate(new AssignRole(UserId, Roles.Auditor, Guid.Empty)).ShouldFailWith("ActorId", "NotEmptyValidator");

    [Fact]
    public void every_bad_field_is_reported_once() =>
        _validator.Validate(new AssignRole(Guid.Empty, "root", Guid.Empty)).ShouldFailOn("UserId", "ActorId", "Role");
}
