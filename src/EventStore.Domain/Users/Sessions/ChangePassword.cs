using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Identity;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Sessions;

/// <summary>
/// The signed-in user changes their password; the current one is required. Every other session ends; the caller's
/// session (<paramref name="KeepSessionId"/>) goes on with a new access token.
/// </summary>
public sealed record ChangePassword(
    Guid UserId,
    Guid? KeepSessionId,
    [SingleLine(UserRules.PasswordMaxLength)] string CurrentPassword,
    [SingleLine(UserRules.PasswordMaxLength)] string NewPassword)
{
    public override string ToString() => $"ChangePassword {{ UserId = {UserId} }}"; // never the passwords

    public sealed class Validator : AbstractValidator<ChangePassword>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.CurrentPassword).NotEmpty().MaximumLength(UserRules.PasswordMaxLength);
            RuleFor(x => x.NewPassword).Cascade(CascadeMode.Stop).NotEmpty()
                .Length(UserRules.PasswordMinLength, UserRules.PasswordMaxLength);
        }
    }
}

public static class ChangePasswordHandler
{
    public static void Before(User? user) => UserGuards.MustBeActive(user);

    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(ChangePassword command, User user, IDocumentSession session,
        IPasswordHasher<UserAccount> hasher, TimeProvider clock, CancellationToken ct)
    {
        var account = await session.LoadAsync<UserAccount>(user.Id, ct) ?? throw new NotFoundException("User not found.");
        if (hasher.VerifyHashedPassword(account, account.PasswordHash, command.CurrentPassword) == PasswordVerificationResult.Failed)
        {
            throw new ForbiddenException("The current password is wrong.");
        }

        var now = clock.GetUtcNow();
        account.PasswordHash = hasher.HashPassword(account, command.NewPassword);
        session.Update(account);
        await EndSessionHandler.RevokeAllAsync(session, user.Id, command.KeepSessionId, "password changed", now, ct);
        return [new UserPasswordChanged(user.Id, command.KeepSessionId, now)];
    }
}
