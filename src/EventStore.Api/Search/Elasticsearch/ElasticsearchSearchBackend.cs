using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using ClientSearchRequest = Elastic.Clients.Elasticsearch.SearchRequest;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// `search(...)` against Elasticsearch's read alias: every word must match, the last ones as prefixes (<c>multi_match</c>
/// of type <c>bool_prefix</c> with <c>operator: and</c> over title, body and the split terms); type and visibility are
/// <c>terms</c> filters inside the query, so pages never see what the caller may not; ranked by score, then type and
/// id; paged with <c>search_after</c>. While no index is served yet (the first build of a new cluster), searches run on
/// PostgreSQL, whose table is always kept (docs/search.md).
/// </summary>
public sealed class ElasticsearchSearchBackend(ElasticsearchIndexClient client, PostgresSearchBackend fallback) : ISearchBackend
{
    public async Task<SearchPage> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        var hits = await client.SearchAsync(Query(client.Names.ReadAlias, request), ct);
        if (hits is null)
        {
            return await fallback.SearchAsync(request, ct);
        }

        var page = hits.Select(h => new SearchHit(h.Source.Type, h.Source.Id, h.Source.Title, h.Highlight, h.Score, h.Source.UpdatedAt)).ToList();
        return new SearchPage([.. page.Take(request.First)], page.Count > request.First);
    }

    public static ClientSearchRequest Query(string alias, SearchRequest request) => new(alias)
    {
        Size = request.First + 1,
        TrackTotalHits = false,
        TrackScores = true,
        Query = new BoolQuery
        {
            Must =
            [
                new MultiMatchQuery
                {
                    Query = request.Text, Type = TextQueryType.BoolPrefix, Operator = Operator.And, Fields = new[] { "title^2", "body", "terms" },
                },
            ],
            Filter =
            [
                Terms("type", request.Types),
                Terms("readers", request.Readers),
            ],
        },
        Highlight = new Highlight
        {
            PreTags = ["<mark>"],
            PostTags = ["</mark>"],
            Fields = new Dictionary<Field, HighlightField>
            {
                ["title"] = new HighlightField { NumberOfFragments = 0 },
                ["body"] = new HighlightField { NumberOfFragments = 0 },
            },
        },
        Sort =
        [
            new SortOptions { Score = new ScoreSort { Order = SortOrder.Desc } },
            new SortOptions { Field = new FieldSort { Field = "type", Order = SortOrder.Asc } },
            new SortOptions { Field = new FieldSort { Field = "id", Order = SortOrder.Asc } },
        ],
        SearchAfter = request.After is { } after ? [after.Score, after.Type, after.Id.ToString("D")] : null,
    };

    private static TermsQuery Terms(string field, IEnumerable<string> values) =>
        new() { Field = field, Terms = new TermsQueryField([.. values.Select(FieldValue.String)]) };
}
