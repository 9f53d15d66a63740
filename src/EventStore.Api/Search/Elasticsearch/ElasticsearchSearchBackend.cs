using System.Text.Json.Nodes;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// `search(...)` against Elasticsearch: every word must match, the last ones as prefixes (<c>multi_match</c> of type
/// <c>bool_prefix</c> with <c>operator: and</c> over title, body and the split terms); type and visibility are
/// <c>terms</c> filters inside the query; ranked by score, then type and id; paged with <c>search_after</c>.
/// </summary>
public sealed class ElasticsearchSearchBackend(ElasticsearchClient client) : ISearchBackend
{
    public async Task<SearchPage> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        var hits = await client.SearchAsync(Query(request), ct);
        var page = hits.Select(h => new SearchHit(h.Source.Type, h.Source.Id, h.Source.Title, h.Highlight, h.Score, h.Source.UpdatedAt))
            .ToList();
        return new SearchPage([.. page.Take(request.First)], page.Count > request.First);
    }

    public static JsonObject Query(SearchRequest request)
    {
        var query = new JsonObject
        {
            ["size"] = request.First + 1,
            ["track_total_hits"] = false,
            ["track_scores"] = true,
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["must"] = new JsonArray(new JsonObject
                    {
                        ["multi_match"] = new JsonObject
                        {
                            ["query"] = request.Text, ["type"] = "bool_prefix", ["operator"] = "and",
                            ["fields"] = new JsonArray("title^2", "body", "terms"),
                        },
                    }),
                    ["filter"] = new JsonArray(
                        new JsonObject { ["terms"] = new JsonObject { ["type"] = Strings(request.Types) } },
                        new JsonObject { ["terms"] = new JsonObject { ["readers"] = Strings(request.Readers) } }),
                },
            },
            ["highlight"] = new JsonObject
            {
                ["pre_tags"] = new JsonArray("<mark>"), ["post_tags"] = new JsonArray("</mark>"),
                ["fields"] = new JsonObject
                {
                    ["title"] = new JsonObject { ["number_of_fragments"] = 0 },
                    ["body"] = new JsonObject { ["number_of_fragments"] = 0 },
                },
            },
            ["sort"] = new JsonArray(
                new JsonObject { ["_score"] = "desc" }, new JsonObject { ["type"] = "asc" }, new JsonObject { ["id"] = "asc" }),
        };
        if (request.After is { } after)
        {
            query["search_after"] = new JsonArray(after.Score, after.Type, after.Id.ToString("D"));
        }

        return query;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
