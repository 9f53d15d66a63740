using Microsoft.Extensions.Options;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// Writes bulk actions until each one has an answer. A 200 <c>_bulk</c> response can still fail some items: the ones
/// that succeeded are never sent again, the ones refused with 429/5xx are retried alone with capped exponential
/// backoff (a busy or down cluster pauses indexing instead of losing documents), and the ones rejected for good
/// (e.g. 400 <c>mapper_parsing_exception</c>) are returned for the caller to report.
/// </summary>
public sealed class ElasticsearchBulkWriter(ElasticsearchClient client, IOptions<ElasticsearchOptions> options, ILogger<ElasticsearchBulkWriter> logger)
{
    public async Task<IReadOnlyList<BulkItemResult>> WriteAsync(IReadOnlyList<BulkAction> actions, CancellationToken ct)
    {
        var rejected = new List<BulkItemResult>();
        var pending = actions;
        var delay = options.Value.RetryBaseDelay;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            try
            {
                var result = await client.BulkAsync(pending, ct);
                rejected.AddRange(result.Rejected);
                pending = [.. result.Retryable.Select(x => x.Action)];
                if (pending.Count == 0)
                {
                    break;
                }

                logger.LogWarning("Elasticsearch asked to retry {Count} of {Total} documents (attempt {Attempt})",
                    pending.Count, result.Items.Count, attempt);
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
            {
                // The pipeline already retried the request; keep trying, slower, rather than drop the page.
                logger.LogWarning(e, "Elasticsearch bulk request failed (attempt {Attempt}); retrying", attempt);
            }

            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
        }

        return rejected;
    }

    /// <summary>
    /// Unreachable, timed out, busy or failing: worth waiting for. Any other refusal of the whole request (a 4xx, a
    /// malformed answer) would repeat forever, so it propagates: the daemon pauses the indexer at its last checkpoint.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException or Polly.Timeout.TimeoutRejectedException => true,
        ElasticsearchException { Status: { } status } => (int)status == 429 || (int)status >= 500,
        _ => false,
    };
}
