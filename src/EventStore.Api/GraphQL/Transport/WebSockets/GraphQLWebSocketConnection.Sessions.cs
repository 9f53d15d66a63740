using EventStore.Api.Auth;
using EventStore.Api.Auth.Sessions;

namespace EventStore.Api.GraphQL.Transport.WebSockets;

internal sealed partial class GraphQLWebSocketConnection
{
    private Action<Guid>? _onInvalidated;

    /// <summary>
    /// A signed-in connection follows its user's security state: when an event changes it (deactivation, erasure, role
    /// change, password change, logout) on any node, the connection re-checks its token and, if it no longer speaks
    /// for the user, closes with 4403, ending every subscription on it.
    /// </summary>
    private void WatchSession()
    {
        if (user.UserId() is not { } me)
        {
            return;
        }

        var cache = http.RequestServices.GetRequiredService<SecurityCache>();
        _onInvalidated = changed =>
        {
            if (changed == me)
            {
                _ = RecheckSessionAsync();
            }
        };
        cache.Invalidated += _onInvalidated;
    }

    private void UnwatchSession()
    {
        if (_onInvalidated is not null)
        {
            http.RequestServices.GetRequiredService<SecurityCache>().Invalidated -= _onInvalidated;
            _onInvalidated = null;
        }
    }

    /// <summary>Every message of a signed-in connection is checked too (from the cache: no database round trip).</summary>
    private async ValueTask<bool> SessionStillCurrentAsync()
    {
        if (!user.IsAuthenticatedUser())
        {
            return true;
        }

        if (await http.RequestServices.GetRequiredService<SessionGuard>().IsCurrentAsync(user, CancellationToken.None))
        {
            return true;
        }

        writer.Close(CloseCodes.Forbidden, "Forbidden: the session ended");
        return false;
    }

    private async Task RecheckSessionAsync()
    {
        try
        {
            await SessionStillCurrentAsync();
        }
        catch (Exception e)
        {
            // The check could not reach the database: close rather than keep serving a maybe-revoked user.
            deps.Logger.LogWarning(e, "GraphQL WebSocket {Connection}: session re-check failed", http.TraceIdentifier);
            writer.Close(CloseCodes.InternalServerError, "Internal server error");
        }
    }
}
