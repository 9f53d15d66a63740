using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.EditingProfiles;

public sealed record UpdateProfile(
    Guid UserId,
    [SingleLine(UserRules.DisplayNameMaxLength)] string DisplayName,
    [MultiLine(UserRules.BioMaxLength)] string? Bio)
{
    public sealed class Validator : AbstractValidator<UpdateProfile>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.DisplayName).ValidDisplayName();
            RuleFor(x => x.Bio).MaximumLength(UserRules.BioMaxLength);
        }
    }
}

public static class UpdateProfileHandler
{
    public static void Before(User? user) => UserGuards.MustBeActive(user);

    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(UpdateProfile command, User user, IDocumentSession session,
        PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = await protector.OpenerAsync(session, [user.Id], ct);
        return Decide(command, user, current, await protector.SealerAsync(session, user.Id, now, ct), now);
    }

    public static IEnumerable<object> Decide(
        UpdateProfile command, User user, PersonalDataOpener current, PersonalDataSealer personal, DateTimeOffset now)
    {
        var displayName = command.DisplayName.Trim();
        var bio = string.IsNullOrWhiteSpace(command.Bio) ? null : command.Bio.Trim();
        if (displayName == current.Open(user.DisplayName) && bio == current.Open(user.Bio))
        {
            return []; // nothing changed: no event, the stream stays as it is
        }

        return [new UserProfileUpdated(user.Id, personal.Seal(displayName), personal.SealOrNull(bio), now)];
    }
}
