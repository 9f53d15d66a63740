using System.Security.Claims;
using System.Text.Json;

namespace EventStore.GraphQL.Transport;

/// <summary>
/// The host's identity for graphql-transport-ws: who a connection speaks for after `connection_init`, and whether that
/// is still so while it stays open (a signed-out or deactivated user's connection is closed with 4403).
/// </summary>
public interface IGraphQLConnectionAuthenticator
{
    /// <summary>The connection's user, from the `connection_init` payload or the upgrade request; null to refuse it (4403).</summary>
    Task<ClaimsPrincipal?> AuthenticateAsync(JsonElement? payload, ClaimsPrincipal upgradeUser);

    /// <summary>Whether <paramref name="user"/> still speaks for its session; checked before every message.</summary>
    ValueTask<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="changed"/> when the user's security state may have changed; null when there is nothing to watch.</summary>
    IDisposable? Watch(ClaimsPrincipal user, Action changed);
}

/// <summary>The default: the upgrade request's user (its `Authorization` header), the payload ignored, nothing to watch.</summary>
public sealed class UpgradeRequestAuthenticator : IGraphQLConnectionAuthenticator
{
    public Task<ClaimsPrincipal?> AuthenticateAsync(JsonElement? payload, ClaimsPrincipal upgradeUser) =>
        Task.FromResult<ClaimsPrincipal?>(upgradeUser);

    public ValueTask<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public IDisposable? Watch(ClaimsPrincipal user, Action changed) => null;
}
