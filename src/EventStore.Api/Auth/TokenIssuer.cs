using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.Api.Auth;

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>Who an access token speaks for, in which session, under which security stamp.</summary>
public sealed record TokenSubject(Guid UserId, string Username, IEnumerable<string> Roles, Guid SessionId, long Stamp);

/// <summary>
/// Issues access tokens: HS256, subject = user id, one `role` claim per role, the session id (`sid`) and the security
/// stamp (`sst`) that <see cref="Sessions.SessionGuard"/> checks on every request.
/// </summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, SigningKeyProvider keys, TimeProvider clock)
{
    public IssuedToken Issue(TokenSubject subject)
    {
        var jwt = options.Value;
        var now = clock.GetUtcNow();
        var expires = now + jwt.TokenLifetime;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, subject.UserId.ToString()),
            new(JwtRegisteredClaimNames.UniqueName, subject.Username),
            new(JwtRegisteredClaimNames.Jti, Guid.CreateVersion7().ToString()),
            new(AuthClaims.SessionId, subject.SessionId.ToString()),
            new(AuthClaims.Stamp, subject.Stamp.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(subject.Roles.Order(StringComparer.Ordinal).Select(role => new Claim(AuthClaims.Role, role)));
        return new IssuedToken(Sign(new ClaimsIdentity(claims), jwt.Audience, now, expires), expires);
    }

    internal string Sign(ClaimsIdentity identity, string audience, DateTimeOffset now, DateTimeOffset expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = identity,
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
}
