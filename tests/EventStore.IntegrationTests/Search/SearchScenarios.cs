using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Search;

public static class SearchScenarios
{
    public const string SearchQuery =
        "query($q: String!, $types: [SearchType!], $first: Int, $after: String) { search(query: $q, types: $types, first: $first, after: $after) "
        + "{ edges { cursor node { type id title highlight score updatedAt } } pageInfo { hasNextPage endCursor } } }";

    public static Task<GraphQLResponse> SearchAsync(this GraphQLClient client, string token, string q, string[]? types = null,
        int? first = null, string? after = null) =>
        client.SendAsync(SearchQuery, new { q, types, first, after }, token);

    public static async Task RebuildSearchAsync(this GraphQLClient client, string adminToken) =>
        (await client.SendAsync("mutation { rebuildProjection(name: \"SearchDocuments\") { name } }", null, adminToken)).Ok("rebuildProjection");

    /// <summary>The hits' nodes of a successful search.</summary>
    public static IReadOnlyList<JsonNode> Hits(this GraphQLResponse response) =>
        [.. response.Ok("search")["edges"]!.AsArray().Select(e => e!["node"]!)];

    public static IReadOnlyList<string> Titles(this GraphQLResponse response) => [.. response.Hits().Select(h => h.Str("title"))];
}
