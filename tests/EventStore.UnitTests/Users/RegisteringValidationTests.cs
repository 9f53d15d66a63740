using EventStore.Domain.Users;
using EventStore.Domain.Users.Registering;

namespace EventStore.UnitTests.Users;

public sealed class RegisteringValidationTests
{
    private static readonly RegisterUser Valid =
        new(Guid.Parse("0197a5c4-0000-7000-8000-000000000001"), "alice", "alice@example.com", "correct horse", null);

    private readonly RegisterUser.Validator _validator = new();

    [Theory]
    [InlineData("bob")]
    [InlineData("Alice.Smith")]
    [InlineData("a_b-c.d")]
    [InlineData("0day")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void a_well_formed_registration_passes(string username) =>
        _validator.Validate(Valid with { Username = username }).ShouldPass();

    [Fact]
    public void a_display_name_at_the_maximum_length_passes() =>
        _validator.Validate(Valid with { DisplayName = new string('d', UserRules.DisplayNameMaxLength) }).ShouldPass();

    [Fact]
    public void an_empty_user_id_is_rejected() =>
        _validator.Validate(Valid with { UserId = Guid.Empty }).ShouldFailWith("UserId", "NotEmptyValidator");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void an_empty_username_is_rejected(string username) =>
        _validator.Validate(Valid with { Username = username }).ShouldFailWith("Username", "NotEmptyValidator");

    [Theory]
    [InlineData(UserRules.UsernameMinLength - 1)]
    [InlineData(UserRules.UsernameMaxLength + 1)]
    public void a_username_too_short_or_too_long_is_rejected(int length) =>
        _validator.Validate(Valid with { Username = new string('a', length) }).ShouldFailWith("Username", "LengthValidator");

    [Theory]
    [InlineData("bob smith")]
    [InlineData("_bob")]
    [InlineData(".bob")]
    [InlineData("bob!")]
    [InlineData("zoë")]
    [InlineData(" bob")]
    public void a_username_with_bad_characters_is_rejected(string username) =>
        _validator.Validate(Valid with { Username = username }).ShouldFailWith("Username", "RegularExpressionValidator");

    [Theory]
    [InlineData("", "NotEmptyValidator")]
    [InlineData("no-at-sign.example.com", "EmailValidator")]
    [InlineData("@example.com", "EmailValidator")]
    [InlineData("alice@", "EmailValidator")]
    public void a_bad_email_is_rejected(string email, string errorCode) =>
        _validator.Validate(Valid with { Email = email }).ShouldFailWith("Email", errorCode);

    [Fact]
    public void an_email_longer_than_the_maximum_is_rejected()
    {
        var email = new string('a', UserRules.EmailMaxLength - "@example.com".Length + 1) + "@example.com";

        _validator.Validate(Valid with { Email = email }).ShouldFailWith("Email", "MaximumLengthValidator");
    }

    [Theory]
    [InlineData(UserRules.PasswordMinLength)]
    [InlineData(UserRules.PasswordMaxLength)]
    public void a_password_within_the_length_bounds_passes(int length) =>
        _validator.Validate(Valid with { Password = new string('p', length) }).ShouldPass();

    [Fact]
    public void an_empty_password_is_rejected() =>
        _validator.Validate(Valid with { Password = "" }).ShouldFailWith("Password", "NotEmptyValidator");

    [Theory]
    [InlineData(UserRules.PasswordMinLength - 1)]
    [InlineData(UserRules.PasswordMaxLength + 1)]
    public void a_password_too_short_or_too_long_is_rejected(int length) =>
        _validator.Validate(Valid with { Password = new string('p', length) }).ShouldFailWith("Password", "LengthValidator");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void a_blank_display_name_means_not_given(string displayName) =>
        _validator.Validate(Valid with { DisplayName = displayName }).ShouldPass();

    [Theory]
    [InlineData("alice smith@example.com")]
    [InlineData("a@b")]
    [InlineData("@example.com")]
    public void an_email_with_whitespace_or_without_a_dotted_domain_is_rejected(string email) =>
        _validator.Validate(Valid with { Email = email }).ShouldFailOn("Email");

    [Fact]
    public void a_display_name_longer_than_the_maximum_is_rejected() =>
        _validator.Validate(Valid with { DisplayName = new string('d', UserRules.DisplayNameMaxLength + 1) })
            .ShouldFailWith("DisplayName", "MaximumLengthValidator");

    [Fact]
    public void every_bad_field_is_reported_once()
    {
        var command = new RegisterUser(Guid.Empty, "", "", "", new string('d', UserRules.DisplayNameMaxLength + 1));

        _validator.Validate(command).ShouldFailOn("UserId", "Username", "Email", "Password", "DisplayName");
    }
}
