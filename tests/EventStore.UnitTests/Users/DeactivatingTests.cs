using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Users.Deactivating;
using static EventStore.UnitTests.PersonalDataFixture;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class DeactivatingTests
{
    private readonly DeactivateUser.Validator _validator = new();

    [Fact]
    public void deactivating_records_the_trimmed_reason_the_actor_and_the_clock_time()
    {
        var deactivated = DeactivateUserHandler.Decide(new DeactivateUser(UserId, "  left the firm ", AdminId), RegisteredUser(), SealerFor(UserId), Now);

        Assert.Equal((UserId, "left the firm", AdminId, Now), (deactivated.UserId, Open(deactivated.Reason), deactivated.DeactivatedBy, deactivated.DeactivatedAt));
        Assert.Equal(UserId, deactivated.Reason!.Subject); // sealed under the deactivated user's key, not the actor's
    }

    [Fact]
    public void deactivating_without_a_reason_records_none()
    {
        var deactivated = DeactivateUserHandler.Decide(new DeactivateUser(UserId, null, UserId), RegisteredUser(), SealerFor(UserId), Now);

        Assert.Equal(new UserDeactivated(UserId, null, UserId, Now), deactivated);
    }

    [Fact]
    public async Task deactivating_an_already_deactivated_user_appends_nothing() =>
        Assert.Empty(await DeactivateUserHandler.Handle(new DeactivateUser(UserId, "again", AdminId), DeactivatedUser(), null!,
            Protector, Clock, CancellationToken.None));

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
