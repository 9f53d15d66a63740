using GraphQLParser.AST;

namespace EventStore.GraphQL.Transport;

/// <summary>
/// The `UserContext` of an operation, set by the transports: where the request comes from (the rate limits count anonymous
/// callers per address), and which root fields the rate limiter refused.
/// </summary>
public sealed class GraphQLUserContext : Dictionary<string, object?>
{
    public const string UnknownAddress = "unknown";

    public string ClientAddress { get; init; } = UnknownAddress;

    public IReadOnlyDictionary<GraphQLField, TimeSpan> RefusedFields { get; set; } = new Dictionary<GraphQLField, TimeSpan>();

    public static GraphQLUserContext For(HttpContext http) => new() { ClientAddress = ClientAddressOf(http) };

    /// <summary>
    /// The caller's address. Read it on the request's own thread: an <see cref="HttpContext"/> is not thread-safe, and the
    /// operations of one WebSocket run concurrently (the connection reads it once, when it starts).
    /// </summary>
    public static string ClientAddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? UnknownAddress;
}
