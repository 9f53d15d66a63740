using System.ComponentModel.DataAnnotations;

namespace EventStore.GraphQL.Transport;

/// <summary>
/// Section `GraphQL`: the limits every operation is held to, over HTTP and WebSocket alike (docs/api.md#limits). The cost
/// caps are checked on the parsed document before validation and before any resolver runs.
/// </summary>
public sealed class GraphQLOptions
{
    public const string SectionName = "GraphQL";

    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    [Range(2, 50)]
    public int MaxDepth { get; set; } = 12;

    [Range(10, 1_000_000)]
    public int MaxComplexity { get; set; } = 5_000;

    /// <summary>
    /// Depth of an introspection-only operation (root fields `__schema`, `__type`, `__typename`): the query of graphql-js
    /// `getIntrospectionQuery` (GraphiQL, Apollo, code generators) is 15 levels deep.
    /// </summary>
    [Range(2, 30)]
    public int IntrospectionMaxDepth { get; set; } = 15;

    /// <summary>
    /// Complexity of an introspection-only operation. The full `getIntrospectionQuery` (every option on) costs about
    /// 2.1 million by GraphQL.NET's count (lists multiply by 20); a query that walks the type graph in a cycle costs far more.
    /// </summary>
    [Range(10, 1_000_000_000)]
    public int IntrospectionMaxComplexity { get; set; } = 5_000_000;

    /// <summary>Aliased fields in one document (fragments counted where they are spread).</summary>
    [Range(1, 100_000)]
    public int MaxAliases { get; set; } = 30;

    /// <summary>Selected fields in one document, at every level (fragments counted where they are spread).</summary>
    [Range(10, 1_000_000)]
    public int MaxFields { get; set; } = 500;

    /// <summary>
    /// Parsed documents kept by query text (least recently used out first; 0: none), so a client that sends the same
    /// operation again is not parsed again. Validation, cost caps and rate limits still run per request (Requests/ParsedDocumentCache).
    /// </summary>
    [Range(0, 100_000)]
    public int DocumentCacheSize { get; set; } = 1_000;

    /// <summary>Errors in one response; the rest are dropped and one last error says how many.</summary>
    [Range(1, 100_000)]
    public int MaxErrors { get; set; } = 50;

    /// <summary>
    /// Resolvers of one operation running at once (GraphQL.NET's `MaxParallelExecutionCount`): the bulkhead that keeps one
    /// request from taking more than this many pooled database connections. Mutations run their fields one at a time anyway.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrentResolversPerRequest { get; set; } = 4;

    /// <summary>Operation fields per signed-in user per minute, over every transport (0 = no limit).</summary>
    [Range(0, 10_000_000)]
    public int RequestsPerMinutePerUser { get; set; } = 1_200;

    /// <summary>
    /// Community writes (`createPost`, `commentOnPost`) per signed-in user per minute, over every transport, on top of
    /// <see cref="RequestsPerMinutePerUser"/> (0 = no limit; docs/community.md).
    /// </summary>
    [Range(0, 1_000_000)]
    public int PostsPerMinutePerUser { get; set; } = 10;

    /// <summary>Operation fields without a token per client address per minute, over every transport (0 = no limit).</summary>
    [Range(0, 10_000_000)]
    public int AnonymousRequestsPerMinute { get; set; } = 120;

    /// <summary>`login` and `register` fields naming one username, per <see cref="AuthWindow"/> (0 = no limit).</summary>
    [Range(0, 1_000_000)]
    public int AuthAttemptsPerUsername { get; set; } = 10;

    /// <summary>`login` and `register` fields from one client address, per <see cref="AuthWindow"/> (0 = no limit).</summary>
    [Range(0, 1_000_000)]
    public int AuthAttemptsPerAddress { get; set; } = 30;

    /// <summary>The window the `login`/`register` allowances are counted in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AuthWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The first wait once an allowance is spent; each further attempt doubles it, up to <see cref="AuthBackoffMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AuthBackoff { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AuthBackoffMax { get; set; } = TimeSpan.FromHours(1);
}
