using EventStore.Projections.Search;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// A Marten subscription run by the async daemon: follows the log and keeps the Elasticsearch index in step. Its
/// checkpoint is Marten's progress row for <see cref="SubscriptionName"/>, committed after each page is indexed, so a
/// restart resumes where it stopped (at-least-once: a page indexed but not checkpointed is sent again, harmlessly,
/// because document ids are idempotent and documents are whole). A newly created index backfills from the start of the
/// log (<see cref="ElasticsearchIndexSetup"/> resets the checkpoint).
/// </summary>
public sealed class ElasticsearchIndexer(
    ElasticsearchClient client, ElasticsearchIndexSetup setup, IOptions<ElasticsearchOptions> options, ILogger<ElasticsearchIndexer> logger)
    : SubscriptionBase
{
    public const string SubscriptionName = "ElasticsearchIndex";

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        await setup.EnsureAsync(cancellationToken);
        var lastEventOf = new Dictionary<SearchKey, IEvent>();
        foreach (var e in page.Events)
        {
            if (SearchSources.KeyOf(e.Data) is { } key)
            {
                lastEventOf[key] = e;
            }
        }

        var actions = new List<BulkAction>();
        foreach (var key in lastEventOf.Keys)
        {
            var document = await SearchSources.LoadAsync(operations, key, cancellationToken);
            actions.Add(document is null ? BulkAction.Delete(key) : BulkAction.Index(document));
        }

        var rejected = await IndexAsync(actions, cancellationToken);
        foreach (var item in rejected)
        {
            // Sending it again would fail again: report it and move on rather than stall the whole index.
            var key = lastEventOf.Keys.First(k => SearchDocument.KeyOf(k.Type, k.Id) == item.Action.Id);
            logger.LogError("Elasticsearch rejected document {Id}: HTTP {Status} {Type} {Reason}", item.Action.Id, item.Status,
                item.ErrorType, item.ErrorReason);
            await controller.RecordDeadLetterEventAsync(lastEventOf[key],
                new ElasticsearchException($"Document {item.Action.Id} rejected: {item.ErrorType} {item.ErrorReason}"));
        }

        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Sends the actions; retries only the items that failed with 429/5xx, with capped exponential backoff, until they
    /// succeed (Elasticsearch being down pauses indexing instead of losing documents). Returns the items rejected for good.
    /// </summary>
    public async Task<IReadOnlyList<BulkItemResult>> IndexAsync(IReadOnlyList<BulkAction> actions, CancellationToken ct)
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
            catch (Exception e) when (e is ElasticsearchException or HttpRequestException or Polly.Timeout.TimeoutRejectedException
                && !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Elasticsearch bulk request failed (attempt {Attempt}); retrying", attempt);
            }

            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
        }

        return rejected;
    }
}
