using System.Globalization;
using System.Security.Claims;
using EventStore.Domain.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.Api.Auth.Mfa;

public sealed record MfaChallenge(string Token, DateTimeOffset ExpiresAt, bool EnrolmentRequired);

/// <summary>
/// Login challenges: a password was right, a second factor is still needed. A challenge is a short-lived JWT signed
/// with the same key but for another audience (`&lt;Jwt:Audience&gt;:mfa`), so it can never pass as an access token; it
/// only lets its holder answer with a code (`verifyMfa`) or, for a role that needs MFA and has none, enrol.
/// </summary>
public sealed class MfaChallenges(IOptions<JwtOptions> jwt, IOptions<MfaOptions> mfa, SigningKeyProvider keys,
    TokenIssuer issuer, TimeProvider clock)
{
    private const string Purpose = "mfa";

    private string Audience => jwt.Value.Audience + ":mfa";

    /// <summary>A challenge when the user has MFA enabled, or holds a role that requires it; null when the password is enough.</summary>
    public MfaChallenge? For(User user)
    {
        var enrolmentRequired = !user.MfaEnabled && mfa.Value.IsRequiredFor(user.Roles);
        if (!user.MfaEnabled && !enrolmentRequired)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var expires = now + mfa.Value.ChallengeLifetime;
        var identity = new ClaimsIdentity([
            new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
            new Claim(JwtRegisteredClaimNames.Jti, Guid.CreateVersion7().ToString()),
            new Claim("purpose", Purpose),
            new Claim("enrol", enrolmentRequired ? "1" : "0", ClaimValueTypes.String),
        ]);
        return new MfaChallenge(issuer.Sign(identity, Audience, now, expires), expires, enrolmentRequired);
    }

    /// <summary>The user a challenge was issued to, if it is genuine and unexpired.</summary>
    public async Task<Guid?> ValidateAsync(string? challenge)
    {
        if (string.IsNullOrWhiteSpace(challenge))
        {
            return null;
        }

        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(challenge,
            new TokenValidationParameters
            {
                ValidIssuer = jwt.Value.Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = keys.Key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = jwt.Value.ClockSkew,
                RequireExpirationTime = true,
                LifetimeValidator = (notBefore, expires, _, _) =>
                    expires is { } e && clock.GetUtcNow().UtcDateTime < e.ToUniversalTime() + jwt.Value.ClockSkew,
            });
        return result.IsValid
               && result.Claims.TryGetValue("purpose", out var purpose) && Purpose.Equals(purpose as string, StringComparison.Ordinal)
               && Guid.TryParse(result.Claims.TryGetValue(JwtRegisteredClaimNames.Sub, out var sub) ? sub as string : null,
                   CultureInfo.InvariantCulture, out var user)
            ? user
            : null;
    }
}
