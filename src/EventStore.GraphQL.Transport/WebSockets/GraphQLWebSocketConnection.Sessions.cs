namespace EventStore.GraphQL.Transport.WebSockets;

internal sealed partial class GraphQLWebSocketConnection
{
    private IDisposable? _watch;

    /// <summary>
    /// A signed-in connection follows its user's security state: when the host says it may have changed (in the Api:
    /// deactivation, erasure, role change, password change, logout, on any node), the connection re-checks it and, if
    /// it no longer speaks for the user, closes with 4403, ending every subscription on it.
    /// </summary>
    private void WatchSession() => _watch = deps.Authenticator.Watch(user, () => _ = RecheckSessionAsync());

    private void UnwatchSession()
    {
        _watch?.Dispose();
        _watch = null;
    }

    /// <summary>Every message of a signed-in connection is checked too (the host answers from a cache: no database round trip).</summary>
    private async ValueTask<bool> SessionStillCurrentAsync()
    {
        if (await deps.Authenticator.IsCurrentAsync(user, CancellationToken.None))
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
            deps.Logger.LogWarning(e, "GraphQL WebSocket {Connection}: session re-check failed", connectionId);
            if (e is HostUnavailableException)
            {
                writer.Close(CloseCodes.TryAgainLater, "Try again later");
            }
            else
            {
                writer.Close(CloseCodes.InternalServerError, "Internal server error");
            }
        }
    }
}
