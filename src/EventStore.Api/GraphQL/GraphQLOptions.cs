using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.GraphQL;

/// <summary>Section `GraphQL`: the limits every request is held to.</summary>
public sealed class GraphQLOptions
{
    public const string SectionName = "GraphQL";

    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    [Range(2, 50)]
    public int MaxDepth { get; set; } = 12;

    [Range(10, 1_000_000)]
    public int MaxComplexity { get; set; } = 5_000;

    /// <summary>GraphQL requests per signed-in user per minute, on this node (a token bucket; 0 = no limit).</summary>
    [Range(0, 10_000_000)]
    public int RequestsPerMinutePerUser { get; set; } = 1_200;

    /// <summary>
    /// Requests without a token (login, register) per client address per minute, on this node (0 = no limit): slows
    /// password guessing and mass registration.
    /// </summary>
    [Range(0, 10_000_000)]
    public int AnonymousRequestsPerMinute { get; set; } = 120;
}
