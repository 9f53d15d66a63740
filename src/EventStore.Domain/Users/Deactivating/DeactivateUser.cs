using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Deactivating;

/// <summary>By an admin, or by the user themself (checked at the API edge). A deactivated user can no longer log in.</summary>
public sealed record DeactivateUser(Guid UserId, [SingleLine(DeactivateUser.ReasonMaxLength)] string? Reason, Guid ActorId)
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
    public static async Task<IEnumerable<object>> Handle(DeactivateUser command, User user, IDocumentSession session,
        PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsActive)
        {
            return []; // already deactivated (or erased)
        }

        var now = clock.GetUtcNow();
        return [Decide(command, user, await protector.SealerAsync(session, user.Id, now, ct), now)];
    }

    /// <summary>The reason is free text about the user: sealed under their key like any personal data.</summary>
    public static UserDeactivated Decide(DeactivateUser command, User user, PersonalDataSealer personal, DateTimeOffset now) =>
        new(user.Id, personal.SealOrNull(string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim()),
            command.ActorId, now);
}
