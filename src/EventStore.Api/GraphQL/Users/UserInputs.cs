using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Users;
using EventStore.Domain.Users.Deactivating;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Users;

// Inputs of the Users mutations. Shape rules live in the commands' validators, so that an empty or malformed value
// comes back as VALIDATION with its field path rather than as a schema error.

public sealed class RegisterInput
{
    public string Username { get; set; } = "";
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string? DisplayName { get; set; }
}

public sealed class RegisterInputType : InputObjectGraphType<RegisterInput>
{
    public RegisterInputType()
    {
        Name = "RegisterInput";
        Field(x => x.Username).SingleLine(UserRules.UsernameMaxLength);
        Field(x => x.Email).SingleLine(UserRules.EmailMaxLength);
        Field(x => x.Password).SingleLine(UserRules.PasswordMaxLength);
        Field(x => x.DisplayName, nullable: true).SingleLine(UserRules.DisplayNameMaxLength);
    }
}

public sealed class LoginInput
{
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
}

public sealed class LoginInputType : InputObjectGraphType<LoginInput>
{
    public LoginInputType()
    {
        Name = "LoginInput";
        Field(x => x.Username).SingleLine(UserRules.UsernameMaxLength);
        Field(x => x.Password).SingleLine(UserRules.PasswordMaxLength);
    }
}

public sealed class UpdateProfileInput
{
    public string DisplayName { get; set; } = "";
    public string? Bio { get; set; }
}

public sealed class UpdateProfileInputType : InputObjectGraphType<UpdateProfileInput>
{
    public UpdateProfileInputType()
    {
        Name = "UpdateProfileInput";
        Field(x => x.DisplayName).SingleLine(UserRules.DisplayNameMaxLength);
        Field(x => x.Bio, nullable: true).MultiLine(UserRules.BioMaxLength);
    }
}

public sealed class ChangeEmailInput
{
    public string Email { get; set; } = "";
}

public sealed class ChangeEmailInputType : InputObjectGraphType<ChangeEmailInput>
{
    public ChangeEmailInputType()
    {
        Name = "ChangeEmailInput";
        Field(x => x.Email).SingleLine(UserRules.EmailMaxLength);
    }
}

public sealed class RoleInput
{
    public Guid UserId { get; set; }
    public string Role { get; set; } = "";
}

public sealed class RoleInputType : InputObjectGraphType<RoleInput>
{
    public RoleInputType()
    {
        Name = "RoleInput";
        Field<NonNullGraphType<IdGraphType>>("userId");
        Field<NonNullGraphType<RoleType>>("role");
    }
}

public sealed class DeactivateUserInput
{
    public Guid UserId { get; set; }
    public string? Reason { get; set; }
}

public sealed class DeactivateUserInputType : InputObjectGraphType<DeactivateUserInput>
{
    public DeactivateUserInputType()
    {
        Name = "DeactivateUserInput";
        Field<NonNullGraphType<IdGraphType>>("userId");
        Field(x => x.Reason, nullable: true).SingleLine(DeactivateUser.ReasonMaxLength);
    }
}

public sealed class EraseUserInput
{
    public Guid UserId { get; set; }
}

public sealed class EraseUserInputType : InputObjectGraphType<EraseUserInput>
{
    public EraseUserInputType()
    {
        Name = "EraseUserInput";
        Field<NonNullGraphType<IdGraphType>>("userId");
    }
}
