using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Users.EditingProfiles;
using static EventStore.UnitTests.PersonalDataFixture;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

public sealed class UpdatingProfileTests
{
    private readonly UpdateProfile.Validator _validator = new();

    private static User UserWithBio(string bio) =>
        RegisteredUser(new UserProfileUpdated(UserId, Seal(UserId, "Alice"), Seal(UserId, bio), RegisteredAt.AddHours(1)));

    private static IEnumerable<object> Update(UpdateProfile command, User user) =>
        UpdateProfileHandler.Decide(command, user, OpenerFor(UserId), SealerFor(UserId), Now);

    private static (string? DisplayName, string? Bio, DateTimeOffset At) Opened(object e)
    {
        var updated = Assert.IsType<UserProfileUpdated>(e);
        Assert.Equal(UserId, updated.UserId);
        return (Open(updated.DisplayName), Open(updated.Bio), updated.UpdatedAt);
    }

    [Fact]
    public void updating_the_profile_records_the_trimmed_values_at_the_clock_time()
    {
        var events = Update(new UpdateProfile(UserId, "  Alice S. ", " Trades FX. "), RegisteredUser());

        Assert.Equal(("Alice S.", "Trades FX.", Now), Opened(Assert.Single(events)));
    }

    [Fact]
    public void a_blank_bio_clears_the_bio()
    {
        var events = Update(new UpdateProfile(UserId, "Alice", "   "), UserWithBio("Trades FX."));

        Assert.Equal(("Alice", (string?)null, Now), Opened(Assert.Single(events)));
    }

    [Theory]
    [InlineData("Alice", "Trades FX.")]
    [InlineData("  Alice  ", "  Trades FX.  ")]
    public void an_unchanged_profile_appends_nothing(string displayName, string bio) =>
        Assert.Empty(Update(new UpdateProfile(UserId, displayName, bio), UserWithBio("Trades FX.")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void no_bio_when_there_was_none_is_no_change(string? bio) =>
        Assert.Empty(Update(new UpdateProfile(UserId, "Alice", bio), RegisteredUser()));

    [Fact]
    public void updating_the_profile_of_a_missing_user_is_not_found() =>
        Assert.Throws<NotFoundException>(() => UpdateProfileHandler.Before(null));

    [Fact]
    public void updating_the_profile_of_a_deactivated_user_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => UpdateProfileHandler.Before(DeactivatedUser()));

    [Theory]
    [InlineData("Alice", null)]
    [InlineData("A", "")]
    public void a_well_formed_profile_passes(string displayName, string? bio) =>
        _validator.Validate(new UpdateProfile(UserId, displayName, bio)).ShouldPass();

    [Fact]
    public void a_display_name_and_bio_at_their_maximum_lengths_pass() =>
        _validator.Validate(new UpdateProfile(
                UserId, new string('d', UserRules.DisplayNameMaxLength), new string('b', UserRules.BioMaxLength)))
            .ShouldPass();

    [Fact]
    public void an_empty_user_id_is_rejected() =>
        _validator.Validate(new UpdateProfile(Guid.Empty, "Alice", null)).ShouldFailWith("UserId", "NotEmptyValidator");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void a_blank_display_name_is_rejected(string displayName) =>
        _validator.Validate(new UpdateProfile(UserId, displayName, null)).ShouldFailWith("DisplayName", "NotEmptyValidator");

    [Fact]
    public void a_display_name_longer_than_the_maximum_is_rejected() =>
        _validator.Validate(new UpdateProfile(UserId, new string('d', UserRules.DisplayNameMaxLength + 1), null))
            .ShouldFailWith("DisplayName", "MaximumLengthValidator");

    [Fact]
    public void a_bio_longer_than_the_maximum_is_rejected() =>
        _validator.Validate(new UpdateProfile(UserId, "Alice", new string('b', UserRules.BioMaxLength + 1)))
            .ShouldFailWith("Bio", "MaximumLengthValidator");

    [Fact]
    public void every_bad_field_is_reported_once() =>
        _validator.Validate(new UpdateProfile(Guid.Empty, "", new string('b', UserRules.BioMaxLength + 1)))
            .ShouldFailOn("UserId", "DisplayName", "Bio");
}
