using EventStore.Domain.Privacy;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Mfa;

/// <summary>Begins TOTP enrolment with a secret made at the edge (an input, like ids). Starting again replaces a pending secret.</summary>
public sealed record StartMfaEnrolment(Guid UserId, string Secret)
{
    public override string ToString() => $"StartMfaEnrolment {{ UserId = {UserId} }}"; // never the secret
}

public static class StartMfaEnrolmentHandler
{
    public static void Before(User? user)
    {
        UserGuards.MustBeActive(user);
        if (user.MfaEnabled)
        {
            throw new ConflictException("A second factor is already enabled; disable it first to enrol a new one.");
        }
    }

    /// <summary>The secret is personal data: sealed under the user's key, so erasing the user shreds it too.</summary>
    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(StartMfaEnrolment command, User user, IDocumentSession session,
        PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var personal = await protector.SealerAsync(session, user.Id, now, ct);
        return [new MfaEnrolmentStarted(user.Id, personal.Seal(command.Secret), now)];
    }
}
