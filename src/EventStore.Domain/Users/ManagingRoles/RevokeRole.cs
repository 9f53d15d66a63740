using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Users.ManagingRoles;

/// <summary>Admin only (enforced at the API edge). An admin cannot revoke their own admin role: no lock-out.</summary>
public sealed record RevokeRole(Guid UserId, string Role, Guid ActorId)
{
    public sealed class Validator : AbstractValidator<RevokeRole>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.ActorId).NotEmpty();
            RuleFor(x => x.Role).ValidRole();
        }
    }
}

public static class RevokeRoleHandler
{
    public static void Before(RevokeRole command, User? user)
    {
        UserGuards.MustExist(user);
        if (command.UserId == command.ActorId && command.Role == Roles.Admin)
        {
            throw new ConflictException("An admin cannot revoke their own admin role.");
        }
    }

    [AggregateHandler]
    public static IEnumerable<object> Handle(RevokeRole command, User user, TimeProvider clock)
    {
        if (!user.Roles.Contains(command.Role))
        {
            yield break;
        }

        yield return new UserRoleRevoked(user.Id, command.Role, command.ActorId, clock.GetUtcNow());
    }
}
