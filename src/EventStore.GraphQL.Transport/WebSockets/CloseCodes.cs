namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>
/// The close codes of the graphql-transport-ws protocol (PROTOCOL.md of enisdenjo/graphql-ws) and the two standard
/// WebSocket codes we add: 1008 for a client sending faster than `GraphQL:WebSocketMessagesPerSecond`, 1009 for a
/// message over `GraphQL:MaxRequestBytes`, 1013 for a client too slow to read or for a host that cannot check the
/// connection's session for a moment (<see cref="HostUnavailableException"/>).
/// </summary>
public static class CloseCodes
{
    public const int BadRequest = 4400;
    public const int Unauthorized = 4401;
    public const int Forbidden = 4403;
    public const int SubprotocolNotAcceptable = 4406;
    public const int ConnectionInitialisationTimeout = 4408;
    public const int SubscriberAlreadyExists = 4409;
    public const int TooManyInitialisationRequests = 4429;
    public const int InternalServerError = 4500;

    public const int PolicyViolation = 1008;
    public const int MessageTooBig = 1009;
    public const int TryAgainLater = 1013;
}
