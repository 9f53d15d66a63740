using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Deactivating;

/// <summary>By an admin, or by the user themself (checked at the API edge). A deactivated user can no longer log in.</summary>
public sealed record DeactivateUser(Guid UserId, string? Reason, Guid ActorId)
{
    public const int ReasonMaxLength = 500;

    public sealed class Validator : AbstractValidator<DeactivateUser>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.ActorId).NotEmpty();
            RuleFor(x => x.Reason).MaximumLength(ReasonMaxLength);
        }
    }
}

public static class DeactivateUserHandler
{
    public static void Before(User? user) => UserGuards.MustExist(user);

    [AggregateHandler]
    public static IEnumerable<object> Handle(DeactivateUser command, User user, TimeProvider clock)
    {
        if (!user.IsActive)
        {
            yield break; // already deactivated
        }

        yield return new UserDeactivated(user.Id, string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim(),
            command.ActorId, clock.GetUtcNow());
    }
}
