using System.Security.Claims;

namespace EventStore.GraphQL.Transport;

/// <summary>
/// What the host tells the transport in code (not configuration; the settings are <see cref="GraphQLOptions"/> and
/// <see cref="WebSockets.GraphQLWebSocketOptions"/>): which root fields the rate limits treat specially, how a caller is
/// keyed, and the meter the limits' counters go to.
/// </summary>
public sealed class GraphQLTransportOptions
{
    /// <summary>Fields whose attempts are also counted per username and per address, with growing backoff (`login`, ...).</summary>
    public IReadOnlySet<string> AuthFields { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Fields that publish content: they also count against `GraphQL:PostsPerMinutePerUser`.</summary>
    public IReadOnlySet<string> PostingFields { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A username as the host compares them (an auth field's `input.username`); empty means none.</summary>
    public Func<string, string> NormalizeUsername { get; set; } = name => name.Trim().ToLowerInvariant();

    /// <summary>The signed-in user's key for the per-user allowances; null for an anonymous caller (counted per address).</summary>
    public Func<ClaimsPrincipal?, string?> UserKey { get; set; } = user =>
        user?.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    /// <summary>The meter of `eventstore.graphql.rate_limited` and `eventstore.graphql.cost_refused`.</summary>
    public string MeterName { get; set; } = "EventStore.GraphQL.Transport";
}
