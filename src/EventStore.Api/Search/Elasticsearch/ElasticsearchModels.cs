using System.Text.Json.Serialization;
using EventStore.Projections.Search;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>A search document as stored in Elasticsearch (<c>_source</c>); <c>_id</c> is <see cref="Key"/>.</summary>
public sealed record IndexedDocument(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("terms")] string Terms,
    [property: JsonPropertyName("readers")] IReadOnlyList<string> Readers,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt)
{
    public static IndexedDocument From(SearchDocument d) =>
        new(d.Type, d.Id, d.Key, d.Title, d.Body, d.Terms, d.Readers, d.UpdatedAt.ToUniversalTime());
}

/// <summary>One operation of a bulk request: index a whole document, or delete one, by its idempotent id.</summary>
public sealed record BulkAction(string Id, IndexedDocument? Document)
{
    public static BulkAction Index(SearchDocument document) => new(document.Key, IndexedDocument.From(document));

    public static BulkAction Delete(SearchKey key) => new(SearchDocument.KeyOf(key.Type, key.Id), null);

    public bool IsDelete => Document is null;
}

/// <summary>The outcome of one operation of a bulk request, from the response's <c>items</c> (same order).</summary>
public sealed record BulkItemResult(BulkAction Action, int Status, string? ErrorType, string? ErrorReason)
{
    /// <summary>Done: 2xx, or a delete of a document that is not there (404 <c>not_found</c>: the wanted end state).</summary>
    public bool Succeeded => Status is >= 200 and < 300 || (Action.IsDelete && Status == 404 && ErrorType is null);

    /// <summary>Worth sending again: the cluster was busy (429, <c>es_rejected_execution_exception</c>) or failing (5xx).</summary>
    public bool Retryable => !Succeeded && (Status == 429 || Status >= 500);
}

public sealed record BulkResult(IReadOnlyList<BulkItemResult> Items)
{
    public IEnumerable<BulkItemResult> Retryable => Items.Where(x => x.Retryable);

    /// <summary>Rejected for good (e.g. 400 <c>document_parsing_exception</c>): sending again would fail again.</summary>
    public IEnumerable<BulkItemResult> Rejected => Items.Where(x => !x.Succeeded && !x.Retryable);
}

public sealed record ElasticsearchHit(IndexedDocument Source, double Score, string Highlight);

/// <summary>
/// Where the aliases point (<see cref="ElasticsearchIndexNames"/>): <see cref="ReadIndex"/> is served to searches,
/// <see cref="WriteIndex"/> receives the indexer's writes. Different while a rebuild fills a new index.
/// </summary>
public sealed record IndexLayout(string? ReadIndex, string? WriteIndex, IReadOnlyList<string> Indices)
{
    public bool Rebuilding => WriteIndex is not null && WriteIndex != ReadIndex;
}

/// <summary>Elasticsearch refused a request, answered something unreadable, or never answered after the retries.</summary>
public sealed class ElasticsearchException(string message, int? status, string? errorType, bool transient) : Exception(message)
{
    public int? Status { get; } = status;

    public string? ErrorType { get; } = errorType;

    /// <summary>Unreachable, timed out, busy or failing: worth waiting for (the caller retries later).</summary>
    public bool IsTransient { get; } = transient;
}
