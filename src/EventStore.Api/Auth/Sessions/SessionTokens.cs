using EventStore.Domain.Users.Sessions;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventStore.Api.Auth.Sessions;

/// <summary>What login, verifyMfa, refreshToken and changePassword hand out: an access token and the session's refresh token.</summary>
public sealed record SessionTokens(IssuedToken Access, RefreshToken Refresh, DateTimeOffset RefreshExpiresAt);

/// <summary>Starts sessions and issues their tokens, with the roles and stamp of the user's current security state.</summary>
public static class SessionTokensIssuer
{
    public const string SecondFactorNeeded = "Your role needs a second factor: log in again.";

    public static async Task<SessionTokens> StartAsync(IServiceProvider services, Guid userId, string username,
        bool mfaVerified, CancellationToken ct)
    {
        var expires = services.GetRequiredService<TimeProvider>().GetUtcNow()
            + services.GetRequiredService<IOptions<JwtOptions>>().Value.RefreshTokenLifetime;
        var sessionId = Guid.CreateVersion7();
        var refresh = await services.GetRequiredService<IMessageBus>().InvokeAsync<RefreshToken>(
            new StartSession(sessionId, userId, mfaVerified, expires), ct);
        return new SessionTokens(await AccessAsync(services, userId, username, sessionId, mfaVerified, ct), refresh, expires);
    }

    /// <summary>
    /// An access token with the roles of the security state read here. A session without a verified second factor gets
    /// no token once those roles need one: login decides on a challenge from a read a moment earlier, and a role granted
    /// in between (an admin bootstrapped or promoted while they log in) must not ride on that decision.
    /// </summary>
    public static async Task<IssuedToken> AccessAsync(IServiceProvider services, Guid userId, string username, Guid sessionId,
        bool mfaVerified, CancellationToken ct)
    {
        var security = await LoadAsync(services.GetRequiredService<IQuerySession>(), userId, ct)
            ?? throw new Domain.NotFoundException("User not found.");
        if (!mfaVerified && services.GetRequiredService<IOptions<Mfa.MfaOptions>>().Value.IsRequiredFor(security.Roles))
        {
            throw new GraphQL.Errors.ApiError(GraphQL.Errors.ErrorCodes.Unauthenticated, SecondFactorNeeded);
        }

        return services.GetRequiredService<TokenIssuer>().Issue(
            new TokenSubject(userId, username, security.Roles, sessionId, security.Stamp));
    }

    /// <summary>The inline snapshot; for a stream written before it existed, folded live (and refused by the guard until rebuilt).</summary>
    public static async Task<UserSecurity?> LoadAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        await session.LoadAsync<UserSecurity>(userId, ct)
        ?? await session.Events.AggregateStreamAsync<UserSecurity>(userId, token: ct);
}
