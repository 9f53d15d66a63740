using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventStore.Api.GraphQL.Transport.WebSockets;

/// <summary>
/// Authenticates a connection from its `connection_init` payload (`{ "authorization": "Bearer &lt;jwt&gt;" }`, also
/// `Authorization` or a bare `token`), validated exactly as the HTTP bearer scheme validates the header: same
/// <see cref="Microsoft.IdentityModel.Tokens.TokenValidationParameters"/>, same claim mapping.
/// </summary>
public sealed class ConnectionInitAuthenticator(IOptionsMonitor<JwtBearerOptions> bearerOptions, Auth.Sessions.SessionGuard guard)
{
    private static readonly string[] TokenKeys = ["authorization", "Authorization", "token"];

    /// <summary>
    /// The connection's user: anonymous without a token (the upgrade request's own user if its `Authorization` header
    /// authenticated it); <c>null</c> when a token is present but not valid (close 4403).
    /// </summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(JsonElement? payload, ClaimsPrincipal upgradeUser)
    {
        if (FindToken(payload) is not { } raw)
        {
            return upgradeUser;
        }

        if (raw.ValueKind != JsonValueKind.String || StripScheme(raw.GetString()) is not { Length: > 0 } token)
        {
            return null;
        }

        var bearer = bearerOptions.Get(JwtBearerDefaults.AuthenticationScheme);
        var handler = new JsonWebTokenHandler { MapInboundClaims = bearer.MapInboundClaims };
        var result = await handler.ValidateTokenAsync(token, bearer.TokenValidationParameters);
        if (!result.IsValid)
        {
            return null;
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        return await guard.IsCurrentAsync(principal, CancellationToken.None) ? principal : null;
    }

    private static JsonElement? FindToken(JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } body)
        {
            return null;
        }

        foreach (var key in TokenKeys)
        {
            if (body.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value;
            }
        }

        return null;
    }

    private static string? StripScheme(string? value)
    {
        var trimmed = value?.Trim();
        return trimmed is not null && trimmed.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? trimmed["Bearer ".Length..].Trim()
            : trimmed;
    }
}
