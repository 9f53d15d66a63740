using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten.Events;
using Microsoft.AspNetCore.Identity;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Registering;

/// <summary>Registers a trader. <paramref name="UserId"/> is created at the edge, so retries are idempotent by id.</summary>
public sealed record RegisterUser(
    Guid UserId,
    [SingleLine(UserRules.UsernameMaxLength)] string Username,
    [SingleLine(UserRules.EmailMaxLength)] string Email,
    [SingleLine(UserRules.PasswordMaxLength)] string Password,
    [SingleLine(UserRules.DisplayNameMaxLength)] string? DisplayName)
{
    // Never print the password, whatever logs or debugger shows this record.
    public override string ToString() => $"RegisterUser {{ UserId = {UserId}, Username = {Username} }}";

    public sealed class Validator : AbstractValidator<RegisterUser>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Username).ValidUsername();
            RuleFor(x => x.Email).ValidEmail();
            RuleFor(x => x.Password).Cascade(CascadeMode.Stop).NotEmpty().Length(UserRules.PasswordMinLength, UserRules.PasswordMaxLength);
            // Blank means "not given": the username is used instead (see Decide).
            RuleFor(x => x.DisplayName!).ValidDisplayName().When(x => !string.IsNullOrWhiteSpace(x.DisplayName));
        }
    }
}

public sealed record RegisteredUser(Guid UserId);

public static class RegisterUserHandler
{
    /// <summary>
    /// Starts the user's stream and inserts the account document and the user's personal-data key in one
    /// transaction. The account's unique indexes (username, e-mail) make a concurrent duplicate fail at commit, so
    /// exactly one registration wins.
    /// </summary>
    public static (RegisteredUser, IStartStream, IMartenOp, IMartenOp) Handle(
        RegisterUser command, IPasswordHasher<UserAccount> hasher, PersonalDataProtector protector, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var key = protector.NewKey(command.UserId, now);
        var account = new UserAccount
        {
            Id = command.UserId,
            Username = UserAccount.Normalize(command.Username),
            Email = UserAccount.Normalize(command.Email),
        };
        account.PasswordHash = hasher.HashPassword(account, command.Password);

        var registered = Decide(command, new PersonalDataSealer(protector, key), now);
        return (new RegisteredUser(command.UserId),
            MartenOps.StartStream<User>(command.UserId, registered),
            MartenOps.Insert(account),
            MartenOps.Insert(key));
    }

    public static UserRegistered Decide(RegisterUser command, PersonalDataSealer personal, DateTimeOffset now) =>
        new(command.UserId,
            personal.Seal(command.Username.Trim()),
            personal.Seal(UserAccount.Normalize(command.Email)),
            personal.Seal(string.IsNullOrWhiteSpace(command.DisplayName) ? command.Username.Trim() : command.DisplayName.Trim()),
            now);
}
