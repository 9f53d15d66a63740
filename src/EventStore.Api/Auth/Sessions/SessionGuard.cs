using System.Security.Claims;
using EventStore.Domain.Users.Sessions;
using Marten;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventStore.Api.Auth.Sessions;

/// <summary>
/// Decides whether a signature-valid access token still speaks for its user: the user is active, the token's security
/// stamp is the current one and its session is live. From <see cref="SecurityCache"/>; the database is read only
/// when this node has no entry for the user, or when the token is newer than the entry (a login or refresh on another
/// node a moment ago, before its notification arrived here). Older tokens never cause a read: a stream of revoked
/// tokens costs no database work.
/// </summary>
public sealed class SessionGuard(SecurityCache cache, IDocumentStore store, TimeProvider clock)
{
    public async ValueTask<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (principal.UserId() is not { } user
            || !Guid.TryParse(principal.FindFirstValue(AuthClaims.SessionId), out var session)
            || !long.TryParse(principal.FindFirstValue(AuthClaims.Stamp), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var stamp))
        {
            return false;
        }

        if (cache.TryGet(user, out var entry))
        {
            if (Accepts(entry, session, stamp))
            {
                return true;
            }

            if (!IsNewerThan(principal, entry))
            {
                return false;
            }
        }

        entry = await LoadAsync(user, ct);
        return Accepts(entry, session, stamp);
    }

    private static bool Accepts(SecurityEntry entry, Guid session, long stamp) =>
        entry.IsActive && entry.Stamp == stamp && entry.LiveSessions.Contains(session);

    /// <summary>Issued at or after the entry was loaded (one second of slack for clocks of different nodes).</summary>
    private static bool IsNewerThan(ClaimsPrincipal principal, SecurityEntry entry) =>
        long.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Iat), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var iat)
        && DateTimeOffset.FromUnixTimeSeconds(iat) >= entry.LoadedAt.AddSeconds(-1);

    private async Task<SecurityEntry> LoadAsync(Guid user, CancellationToken ct)
    {
        var generation = cache.Generation;
        var now = clock.GetUtcNow();
        await using var session = store.QuerySession();
        var batch = session.CreateBatchQuery();
        var security = batch.Load<UserSecurity>(user);
        var sessions = batch.Query<UserSession>()
            .Where(x => x.UserId == user && x.RevokedAt == null)
            .Select(x => x.Id)
            .ToList();
        await batch.Execute(ct);
        var state = await security;
        var entry = new SecurityEntry(state?.Stamp ?? -1, state?.IsActive == true, (await sessions).ToHashSet(), now);
        cache.Store(user, entry, generation);
        return entry;
    }
}
