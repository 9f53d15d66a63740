using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventStore.Api.Auth;

public static class AuthClaims
{
    public const string Role = "role";

    public static Guid? UserId(this ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true
        && Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : null;

    public static bool IsAuthenticatedUser(this ClaimsPrincipal? principal) => principal.UserId() is not null;
}
