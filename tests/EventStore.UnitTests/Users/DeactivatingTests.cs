using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Users.Deactivating;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class DeactivatingTests
{
    private readonly DeactivateUser.Validator _validator = new();

    [Fact]
    public void deactivating_records_the_trimmed_reason_the_actor_and_the_clock_time()
    {
        var events = DeactivateUserHandler.Handle(new DeactivateUser(UserId, "  left the firm ", AdminId), RegisteredUser(), Clock);

        Assert.Equal([new UserDeactivated(UserId, "left the firm", AdminId, Now)], events);
    }

    [Fact]
    public void deactivating_without_a_reason_records_none()
    {
        var events = DeactivateUserHandler.Handle(new DeactivateUser(UserId, null, UserId), RegisteredUser(), Clock);

        Assert.Equal([new UserDeactivated(UserId, null, UserId, Now)], events);
    }

    [Fact]
    public void deactivating_an_already_deactivated_user_appends_nothing() =>
        Assert.Empty(DeactivateUserHandler.Handle(new DeactivateUser(UserId, "again", AdminId), DeactivatedUser(), Clock));

    [Fact]
    public void deactivating_a_missing_user_is_not_found() =>
        Assert.Throws<NotFoundException>(() => DeactivateUserHandler.Before(null));

    // Only existence is guarded, so that repeating a deactivation reaches Handle and is a quiet no-op.
    [Fact]
    public void deactivating_a_deactivated_user_is_not_refused() => DeactivateUserHandler.Before(DeactivatedUser());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("left the firm")]
    public void a_well_formed_deactivation_passes(string? reason) =>
        _validator.Validate(new DeactivateUser(UserId, reason, AdminId)).ShouldPass();

    [Fact]
    public void a_reason_at_the_maximum_length_passes() =>
        _validator.Validate(new DeactivateUser(UserId, new string('r', DeactivateUser.ReasonMaxLength), AdminId)).ShouldPass();

    [Fact]
    public void a_reason_longer_than_the_maximum_is_rejected() =>
        _validator.Validate(new DeactivateUser(UserId, new string('r', DeactivateUser.ReasonMaxLength + 1), AdminId))
            .ShouldFailWith("Reason", "MaximumLengthValidator");

    [Fact]
    public void an_empty_user_id_is_rejected() =>
        _validator.Validate(new DeactivateUser(Guid.Empty, null, AdminId)).ShouldFailWith("UserId", "NotEmptyValidator");

    [Fact]
    public void an_empty_actor_id_is_rejected() =>
        _validator.Validate(new DeactivateUser(UserId, null, Guid.Empty)).ShouldFailWith("ActorId", "NotEmptyValidator");

    [Fact]
    public void every_bad_field_is_reported_once() =>
        _validator.Validate(new DeactivateUser(Guid.Empty, new string('r', DeactivateUser.ReasonMaxLength + 1), Guid.Empty))
            .ShouldFailOn("UserId", "ActorId", "Reason");
}
