using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Users.ManagingRoles;

/// <summary>Admin only (enforced at the API edge); <paramref name="ActorId"/> is the admin, recorded in the event.</summary>
public sealed record AssignRole(Guid UserId, string Role, Guid ActorId)
{
    public sealed class Validator : AbstractValidator<AssignRole>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.ActorId).NotEmpty();
            RuleFor(x => x.Role).ValidRole();
        }
    }
}

public static class AssignRoleHandler
{
    public static void Before(User? user) => UserGuards.MustBeActive(user);

    [AggregateHandler]
    public static IEnumerable<object> Handle(AssignRole command, User user, TimeProvider clock)
    {
        if (user.Roles.Contains(command.Role))
        {
            yield break; // already held: assigning again is a no-op, not an error
        }

        yield return new UserRoleAssigned(user.Id, command.Role, command.ActorId, clock.GetUtcNow());
    }
}
