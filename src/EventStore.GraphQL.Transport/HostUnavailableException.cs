namespace EventStore.GraphQL.Transport;

/// <summary>
/// Thrown by the host's hooks (the connection authenticator) when something it needs is out of reach for a moment, a
/// database restarting for example: a WebSocket connection is then closed with 1013 (try again later), which clients
/// retry, instead of 4500.
/// </summary>
public sealed class HostUnavailableException(string message, Exception inner) : Exception(message, inner);
