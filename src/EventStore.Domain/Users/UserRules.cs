using FluentValidation;

namespace EventStore.Domain.Users;

/// <summary>Shape rules shared by several Users commands, so that each field is checked the same way everywhere.</summary>
public static class UserRules
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 32;
    public const int PasswordMinLength = 10;
    public const int PasswordMaxLength = 128;
    public const int DisplayNameMaxLength = 64;
    public const int BioMaxLength = 500;
    public const int EmailMaxLength = 254;

    public static IRuleBuilderOptions<T, string> ValidUsername<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty()
            .Length(UsernameMinLength, UsernameMaxLength)
            .Matches("^[A-Za-z0-9][A-Za-z0-9_.-]*$")
            .WithMessage("'{PropertyName}' may contain letters, digits, '_', '.' and '-', and must start with a letter or digit.");

    public static IRuleBuilderOptions<T, string> ValidEmail<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(EmailMaxLength).EmailAddress()
            // EmailAddress() only checks for an '@'; also refuse whitespace and a domain without a dot.
            .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("'{PropertyName}' is not a valid email address.");

    public static IRuleBuilderOptions<T, string> ValidDisplayName<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(DisplayNameMaxLength);

    public static IRuleBuilderOptions<T, string> ValidRole<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).Must(Roles.IsKnown).WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", Roles.All)}.");
}
