using EventStore.Domain.Privacy;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Mfa;

/// <summary>
/// Activates the pending secret with a code from the authenticator, and stores the hashes of the recovery codes (made
/// at the edge and shown to the user once).
/// </summary>
public sealed record ConfirmMfaEnrolment(Guid UserId, string Code, IReadOnlyList<string> RecoveryCodes)
{
    public override string ToString() => $"ConfirmMfaEnrolment {{ UserId = {UserId} }}";
}

public static class ConfirmMfaEnrolmentHandler
{
    public static void Before(User? user)
    {
        UserGuards.MustBeActive(user);
        if (user.MfaEnabled || user.MfaPendingSecret is null)
        {
            throw new ConflictException("There is no pending enrolment: start one with startMfaEnrolment.");
        }
    }

    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(ConfirmMfaEnrolment command, User user, IDocumentSession session,
        PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var secret = (await protector.OpenerAsync(session, [user.Id], ct)).Open(user.MfaPendingSecret)
            ?? throw new ConflictException("The enrolment can no longer be read; start again.");
        if (TotpCodes.Match(secret, command.Code, now) is not { } step)
        {
            throw new ForbiddenException("The code is not valid.");
        }

        var account = await session.LoadAsync<UserAccount>(user.Id, ct) ?? throw new NotFoundException("User not found.");
        account.RecoveryCodeHashes = [.. command.RecoveryCodes.Select(TotpCodes.HashRecoveryCode)];
        session.Update(account);
        return [new MfaEnabled(user.Id, now), new MfaCodeUsed(user.Id, MfaMethods.Totp, step, now)];
    }
}

public static class MfaMethods
{
    public const string Totp = "totp";
    public const string Recovery = "recovery";
}
