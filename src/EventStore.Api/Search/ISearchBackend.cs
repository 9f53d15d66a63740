namespace EventStore.Api.Search;

/// <summary>
/// Where `search(...)` runs: PostgreSQL full-text search by default (<see cref="PostgresSearchBackend"/>), Elasticsearch
/// when `Elasticsearch:Url` is set (<see cref="Elasticsearch.ElasticsearchSearchBackend"/>). Both index the same
/// documents (projections/EventStore.Projections/Search) and enforce visibility inside the query.
/// </summary>
public interface ISearchBackend
{
    Task<SearchPage> SearchAsync(SearchRequest request, CancellationToken ct);
}

/// <param name="Text">What the user typed; every word must match, each as a prefix.</param>
/// <param name="Types">Document types to search (already narrowed to what the caller may search).</param>
/// <param name="Readers">The caller's visibility keys (<see cref="SearchAudience"/>).</param>
/// <param name="After">The position after which the page starts (from the previous page's last cursor), or null.</param>
public sealed record SearchRequest(
    string Text, IReadOnlyList<string> Types, IReadOnlyList<string> Readers, int First, SearchPosition? After);

/// <summary>A hit: <see cref="Highlight"/> is title and body with the matched words wrapped in &lt;mark&gt;…&lt;/mark&gt;.</summary>
public sealed record SearchHit(string Type, Guid Id, string Title, string Highlight, double Score, DateTimeOffset UpdatedAt)
{
    public SearchPosition Position => new(Score, Type, Id);
}

public sealed record SearchPage(IReadOnlyList<SearchHit> Hits, bool HasNextPage);

/// <summary>
/// Keyset position in the ranked order (score descending, then type and id ascending): stable under inserts, unlike
/// offsets. The score is kept exactly (round-trip format) so the next page starts at the same place.
/// </summary>
public sealed record SearchPosition(double Score, string Type, Guid Id)
{
    public string Encode() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Score:R}|{Type}|{Id:D}");

    public static SearchPosition? Decode(string? key)
    {
        var parts = key?.Split('|');
        return parts is { Length: 3 }
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var score)
            && Guid.TryParse(parts[2], out var id)
                ? new SearchPosition(score, parts[1], id)
                : null;
    }
}
