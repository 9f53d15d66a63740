using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Users.EditingProfiles;
using static EventStore.UnitTests.Users.UserHistory;

namespace EventStore.UnitTests.Users;

// Handle loads the account document from the session, so it is covered by the integration tests; here only the
// shape rules and the state guard, which need neither a database nor a mock.
public sealed class ChangingEmailTests
{
    private readonly ChangeEmail.Validator _validator = new();

    [Fact]
    public void changing_the_email_of_a_missing_user_is_not_found() =>
        Assert.Throws<NotFoundException>(() => ChangeEmailHandler.Before(null));

    [Fact]
    public void changing_the_email_of_a_deactivated_user_is_a_conflict() =>
        Assert.Throws<ConflictException>(() => ChangeEmailHandler.Before(DeactivatedUser()));

    [Fact]
    public void an_active_user_may_change_their_email() => ChangeEmailHandler.Before(RegisteredUser());

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("Alice.Smith+fx@Example.COM")]
    public void a_well_formed_email_passes(string email) =>
        _validator.Validate(new ChangeEmail(UserId, email)).ShouldPass();

    [Fact]
    public void an_empty_user_id_is_rejected() =>
        _validator.Validate(new ChangeEmail(Guid.Empty, "alice@example.com")).ShouldFailWith("UserId", "NotEmptyValidator");

    [Theory]
    [InlineData("", "NotEmptyValidator")]
    [InlineData("   ", "NotEmptyValidator")]
    [InlineData("alice.example.com", "EmailValidator")]
    [InlineData("@example.com", "EmailValidator")]
    [InlineData("alice@", "EmailValidator")]
    public void a_bad_email_is_rejected(string email, string errorCode) =>
        _validator.Validate(new ChangeEmail(UserId, email)).ShouldFailWith("Email", errorCode);

    [Fact]
    public void an_email_longer_than_the_maximum_is_rejected()
    {
        var email = new string('a', UserRules.EmailMaxLength) + "@example.com";

        _validator.Validate(new ChangeEmail(UserId, email)).ShouldFailWith("Email", "MaximumLengthValidator");
    }

    [Fact]
    public void every_bad_field_is_reported_once() =>
        _validator.Validate(new ChangeEmail(Guid.Empty, "not-an-email")).ShouldFailOn("UserId", "Email");
}
