using System.Security.Claims;
using System.Text.Json;
using EventStore.Api.Auth;
using EventStore.Api.Auth.Sessions;
using EventStore.GraphQL.Transport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace EventStore.Api.GraphQL.Transport;

/// <summary>
/// Authenticates a connection from its `connection_init` payload (`{ "authorization": "Bearer &lt;jwt&gt;" }`, also
/// `Authorization` or a bare `token`), validated exactly as the HTTP bearer scheme validates the header: the same handler
/// (<see cref="ValidatedTokenCache"/>) with the same <see cref="Microsoft.IdentityModel.Tokens.TokenValidationParameters"/>. A signed-in connection then
/// follows its session (<see cref="SessionGuard"/>, re-checked when <see cref="SecurityCache"/> evicts the user).
/// </summary>
public sealed class ConnectionInitAuthenticator(IOptionsMonitor<JwtBearerOptions> bearerOptions, ValidatedTokenCache tokens,
    SessionGuard guard, SecurityCache cache)
    : IGraphQLConnectionAuthenticator
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
        var result = await tokens.ValidateTokenAsync(token, bearer.TokenValidationParameters); // the bearer's own handler
        if (!result.IsValid)
        {
            return null;
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        return await CheckAsync(principal, CancellationToken.None) ? principal : null;
    }

    /// <summary>An anonymous connection has no session to lose; a signed-in one is checked from the cache.</summary>
    public async ValueTask<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        !user.IsAuthenticatedUser() || await CheckAsync(user, cancellationToken);

    /// <summary>The session check; PostgreSQL out of reach closes the connection with 1013, which clients retry.</summary>
    private async ValueTask<bool> CheckAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            return await guard.IsCurrentAsync(user, cancellationToken);
        }
        catch (Exception e) when (Database.DatabaseOutage.Is(e))
        {
            throw new HostUnavailableException("the database is unavailable", e);
        }
    }

    /// <summary>
    /// A security event of the user (deactivation, erasure, role change, password change, logout) on any node evicts it
    /// from the cache: the connection re-checks then.
    /// </summary>
    public IDisposable? Watch(ClaimsPrincipal user, Action changed)
    {
        if (user.UserId() is not { } me)
        {
            return null;
        }

        Action<Guid> handler = invalidated =>
        {
            if (invalidated == me)
            {
                changed();
            }
        };
        cache.Invalidated += handler;
        return new Unsubscribe(() => cache.Invalidated -= handler);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
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
