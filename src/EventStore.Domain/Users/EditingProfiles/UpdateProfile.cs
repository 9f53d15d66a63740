using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Users.EditingProfiles;

public sealed record UpdateProfile(Guid UserId, string DisplayName, string? Bio)
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
    public static IEnumerable<object> Handle(UpdateProfile command, User user, TimeProvider clock)
    {
        var displayName = command.DisplayName.Trim();
        var bio = string.IsNullOrWhiteSpace(command.Bio) ? null : command.Bio.Trim();
        if (displayName == user.DisplayName && bio == user.Bio)
        {
            yield break; // nothing changed: no event, the stream stays as it is
        }

        yield return new UserProfileUpdated(user.Id, displayName, bio, clock.GetUtcNow());
    }
}
