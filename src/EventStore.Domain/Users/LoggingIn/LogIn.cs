using Marten;
using Microsoft.AspNetCore.Identity;

namespace EventStore.Domain.Users.LoggingIn;

/// <summary>
/// Checks credentials. Appends nothing: a login is a read of the account and of the user's stream (live, so a
/// user can log in the instant registration commits, before any async projection has caught up).
/// </summary>
public static class LogIn
{
    public static async Task<User?> AuthenticateAsync(
        IQuerySession session, IPasswordHasher<UserAccount> hasher, string username, string password, CancellationToken ct)
    {
        var normalized = UserAccount.Normalize(username);
        var account = await session.Query<UserAccount>().SingleOrDefaultAsync(x => x.Username == normalized, ct);
        if (account is null)
        {
            // Hash anyway so that an unknown username costs the same time as a wrong password.
            hasher.HashPassword(new UserAccount(), password);
            return null;
        }

        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return null;
        }

        var user = await session.Events.AggregateStreamAsync<User>(account.Id, token: ct);
        return user is { IsActive: true } ? user : null;
    }
}
