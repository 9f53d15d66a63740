using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventStore.Api.Auth;

public static class AuthClaims
{
    public const string Role = "role";

    /// <summary>The session an access token belongs to (revoked by logout, reuse of a refresh token, ...).</summary>
    public const string SessionId = "sid";

    /// <summary>The user's security stamp when the token was issued: the token is refused once the stamp moved on.</summary>
    public const string Stamp = "sst";

    public static Guid? SessionIdOf(this ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(SessionId), out var id) ? id : null;

    public static Guid? UserId(this ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true
        && Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : null;

    public static bool IsAuthenticatedUser(this ClaimsPrincipal? principal) => principal.UserId() is not null;
}
