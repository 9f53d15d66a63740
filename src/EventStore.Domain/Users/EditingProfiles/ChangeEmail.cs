using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.EditingProfiles;

public sealed record ChangeEmail(Guid UserId, [SingleLine(UserRules.EmailMaxLength)] string Email)
{
    public sealed class Validator : AbstractValidator<ChangeEmail>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Email).ValidEmail();
        }
    }
}

public static class ChangeEmailHandler
{
    public static void Before(User? user) => UserGuards.MustBeActive(user);

    /// <summary>
    /// The account document carries the unique e-mail index, so it changes in the same transaction as the event:
    /// an address taken concurrently by someone else fails the whole commit with CONFLICT.
    /// </summary>
    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(
        ChangeEmail command, User user, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock,
        CancellationToken ct)
    {
        // The account holds the current address in clear (for the unique index): compare there, no decryption.
        var email = UserAccount.Normalize(command.Email);
        var account = await session.LoadAsync<UserAccount>(user.Id, ct)
            ?? throw new NotFoundException($"User {user.Id} has no account.");
        if (email == account.Email)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var personal = await protector.SealerAsync(session, user.Id, now, ct);
        account.Email = email;
        session.Update(account);
        return [new UserEmailChanged(user.Id, personal.Seal(email), now)];
    }
}
