using EventStore.Projections.Search;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// A Marten subscription run by the async daemon: follows the log and keeps the Elasticsearch index in step. Its
/// checkpoint is Marten's progress row for <see cref="SubscriptionName"/>, committed after each page is indexed, so a
/// restart resumes where it stopped (at-least-once: a page indexed but not checkpointed is sent again, harmlessly,
/// because document ids are idempotent and documents are whole). A newly created index backfills from the start of the
/// log (<see cref="ElasticsearchIndexSetup"/> resets the checkpoint).
/// </summary>
public sealed class ElasticsearchIndexer(
    ElasticsearchBulkWriter writer, ElasticsearchIndexSetup setup, ILogger<ElasticsearchIndexer> logger) : SubscriptionBase
{
    public const string SubscriptionName = "ElasticsearchIndex";

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken);
        var lastEventOf = await SearchSources.TouchedAsync(operations, page.Events, cancellationToken);

        var actions = new List<BulkAction>();
        foreach (var key in lastEventOf.Keys)
        {
            var document = await SearchSources.LoadAsync(operations, key, cancellationToken);
            actions.Add(document is null ? BulkAction.Delete(key) : BulkAction.Index(document));
        }

        var rejected = await writer.WriteAsync(actions, cancellationToken);
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

    /// <summary>The index must exist (with its mappings) before documents go in; wait for the cluster if it is down.</summary>
    private async Task EnsureIndexAsync(CancellationToken ct)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await setup.EnsureAsync(ct);
                return;
            }
            catch (Exception e) when (ElasticsearchBulkWriter.IsTransient(e) && !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Elasticsearch index set-up failed; retrying in {Delay}", delay);
            }

            await Task.Delay(delay, ct);
        }
    }
}
