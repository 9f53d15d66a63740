using Microsoft.Extensions.Options;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// Writes bulk operations until each one has an answer. A 200 bulk response can still fail some items: the ones that
/// succeeded are never sent again, the ones refused with 429/5xx are retried alone with capped exponential backoff (a
/// busy or down cluster pauses indexing instead of losing documents), and the ones rejected for good (e.g. 400
/// <c>document_parsing_exception</c>) are returned for the caller to record.
/// </summary>
public sealed class ElasticsearchBulkWriter(ElasticsearchIndexClient client, IOptions<ElasticsearchOptions> options, ILogger<ElasticsearchBulkWriter> logger)
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
            catch (ElasticsearchException e) when (e.IsTransient && !ct.IsCancellationRequested)
            {
                // The pipeline already retried the request; keep trying, slower, rather than drop the page. Any other
                // refusal of the whole request (a 4xx, an unreadable answer) would repeat forever, so it propagates:
                // the daemon pauses the indexer at its last checkpoint.
                logger.LogWarning("Elasticsearch bulk request failed ({Reason}, attempt {Attempt}); retrying", e.Message, attempt);
            }

            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
        }

        return rejected;
    }
}
