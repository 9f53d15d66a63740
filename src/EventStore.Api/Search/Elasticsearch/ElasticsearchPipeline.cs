using Elastic.Transport;
using EventStore.Api.Resilience;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// What is worth another attempt at Elasticsearch, for its pipeline (<see cref="ResiliencePipelines.Elasticsearch"/>),
/// wrapped around every call of the official client (<see cref="ElasticsearchIndexClient"/>): retry with exponential
/// backoff and jitter when the answer is a network error, a timeout, 429 or 5xx. The transport's own retry does not
/// cover this: with one node it makes a single attempt (it fails over between nodes, it does not back off on 429), so it
/// is left to this pipeline. The per-attempt timeout is the transport's request timeout
/// (<see cref="ElasticsearchOptions.RequestTimeout"/>).
/// </summary>
public static class ElasticsearchPipeline
{
    public static TransientRetry Retry(ElasticsearchOptions options) => new(
        options.MaxRetries,
        options.RetryBaseDelay,
        options.MaxRetryDelay,
        outcome => outcome.Result is TransportResponse response && IsTransient(response),
        outcome => outcome.Result is TransportResponse response ? Describe(response) : outcome.Exception?.GetType().Name ?? "unknown");

    /// <summary>
    /// Worth another attempt: no HTTP answer at all (unreachable, reset, timed out), 429 or a 5xx. Any other refusal
    /// is an answer: sending it again would get the same one.
    /// </summary>
    public static bool IsTransient(TransportResponse response) =>
        response.ApiCallDetails.HttpStatusCode is null or 429 or >= 500;

    public static string Describe(TransportResponse response) =>
        response.ApiCallDetails.HttpStatusCode is { } status
            ? $"HTTP {status}"
            : response.ApiCallDetails.OriginalException?.GetType().Name ?? "no answer";
}
