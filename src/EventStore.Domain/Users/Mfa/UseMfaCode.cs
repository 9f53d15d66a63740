using EventStore.Domain.Privacy;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Mfa;

/// <summary>
/// Checks a second factor (at login, or to disable MFA): a TOTP code, never one of a time step already used, or a
/// recovery code, which is spent. A wrong code appends nothing. <paramref name="Disable"/> turns MFA off once the code
/// is accepted.
/// </summary>
public sealed record UseMfaCode(Guid UserId, string Code, bool Disable = false)
{
    public override string ToString() => $"UseMfaCode {{ UserId = {UserId}, Disable = {Disable} }}"; // never the code
}

public static class UseMfaCodeHandler
{
    public static void Before(User? user)
    {
        UserGuards.MustBeActive(user);
        if (!user.MfaEnabled)
        {
            throw new ConflictException("No second factor is enabled.");
        }
    }

    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(UseMfaCode command, User user, IDocumentSession session,
        PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var used = await CheckAsync(command, user, session, protector, now, ct)
            ?? throw new ForbiddenException("The code is not valid.");
        return command.Disable ? [used, new MfaDisabled(user.Id, now)] : [used];
    }

    private static async Task<MfaCodeUsed?> CheckAsync(UseMfaCode command, User user, IDocumentSession session,
        PersonalDataProtector protector, DateTimeOffset now, CancellationToken ct)
    {
        var account = await session.LoadAsync<UserAccount>(user.Id, ct) ?? throw new NotFoundException("User not found.");
        if (TotpCodes.LooksLikeRecoveryCode(command.Code))
        {
            if (!account.RecoveryCodeHashes.Remove(TotpCodes.HashRecoveryCode(command.Code)))
            {
                return null;
            }

            if (command.Disable)
            {
                account.RecoveryCodeHashes.Clear();
            }

            session.Update(account);
            return new MfaCodeUsed(user.Id, MfaMethods.Recovery, null, now);
        }

        var secret = (await protector.OpenerAsync(session, [user.Id], ct)).Open(user.MfaSecret);
        if (secret is null || TotpCodes.Match(secret, command.Code, now) is not { } step || step <= user.MfaLastTimeStep)
        {
            return null; // wrong, or replayed within its time window
        }

        if (command.Disable)
        {
            account.RecoveryCodeHashes.Clear();
            session.Update(account);
        }

        return new MfaCodeUsed(user.Id, MfaMethods.Totp, step, now);
    }
}
