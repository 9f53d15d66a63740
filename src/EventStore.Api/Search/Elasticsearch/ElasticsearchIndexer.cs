using System.Collections.Concurrent;
using EventStore.Projections.Search;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// A Marten subscription run by the async daemon: follows the log and keeps Elasticsearch in step, writing through the
/// write alias. Its checkpoint is Marten's progress row for <see cref="SubscriptionName"/>, committed after each page,
/// so a restart resumes where it stopped (at-least-once: a page indexed but not checkpointed is sent again, harmlessly,
/// because document ids are idempotent and documents are whole).
/// <para>
/// A rebuild (a new index behind the write alias, the checkpoint reset) replays the whole log into the new index while
/// searches keep reading the old one; the first page that reaches the high-water mark swaps the read alias to it in one
/// atomic alias update. It swaps only an index it has seen from the first page of a replay, so an index that missed
/// part of the log is never served.
/// </para>
/// </summary>
public sealed class ElasticsearchIndexer(
    ElasticsearchIndexSetup setup, ElasticsearchIndexClient client, ElasticsearchBulkWriter writer, ILogger<ElasticsearchIndexer> logger)
    : SubscriptionBase
{
    public const string SubscriptionName = "ElasticsearchIndex";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _served = new(StringComparer.Ordinal);
    private string? _replayedInto;
    private string? _warnedAbout;

    /// <summary>
    /// Completes when this process has swapped the read alias to <paramref name="index"/>, with the sequence of the page
    /// that did it (its checkpoint is committed right after).
    /// </summary>
    public Task<long> ServedAsync(string index) => Served(index).Task;

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        if (page.SequenceFloor == 0)
        {
            _replayedInto = (await client.LayoutAsync(cancellationToken)).WriteIndex;
        }

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
            // Sending it again would fail again: record it and move on rather than stall the whole index.
            var key = lastEventOf.Keys.First(k => SearchDocument.KeyOf(k.Type, k.Id) == item.Action.Id);
            logger.LogError("Elasticsearch rejected document {Id}: HTTP {Status} {Type} (recorded in {Table})",
                item.Action.Id, item.Status, item.ErrorType, ElasticsearchRejections.TableName);
            ElasticsearchRejections.Record(operations, item, lastEventOf[key].Sequence);
        }

        ElasticsearchRejections.Clear(operations, actions.Select(a => a.Id).Except(rejected.Select(r => r.Action.Id)));

        if (page.SequenceCeiling >= await HighWaterMarkAsync(page, operations, cancellationToken))
        {
            await ServeIfRebuiltAsync(page.SequenceCeiling, cancellationToken);
        }

        return NullChangeListener.Instance;
    }

    private async Task ServeIfRebuiltAsync(long sequence, CancellationToken ct)
    {
        var layout = await client.LayoutAsync(ct);
        if (!layout.Rebuilding)
        {
            return;
        }

        if (layout.WriteIndex != _replayedInto)
        {
            if (_warnedAbout != layout.WriteIndex)
            {
                _warnedAbout = layout.WriteIndex;
                logger.LogWarning("Elasticsearch index {Index} was not filled from the start of the log by this node; it is not served "
                    + "until a restart of the projecting node replays the log into it", layout.WriteIndex);
            }

            return;
        }

        await client.SwapReadAliasAsync(layout, ct);
        logger.LogWarning("Elasticsearch: searches now read index {Index} (was {Previous})", layout.WriteIndex, layout.ReadIndex ?? "PostgreSQL");
        Served(layout.WriteIndex!).TrySetResult(sequence);
    }

    /// <summary>The daemon's high-water mark as this agent sees it; the store's when the agent does not track one.</summary>
    private static async Task<long> HighWaterMarkAsync(EventRange page, IDocumentOperations operations, CancellationToken ct)
    {
        var mark = page.Agent?.HighWaterMark ?? 0;
        return mark > 0 ? mark : (await operations.DocumentStore.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
    }

    private TaskCompletionSource<long> Served(string index) =>
        _served.GetOrAdd(index, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>The server checks and the template must be done before documents go in; wait for the cluster if it is down.</summary>
    private async Task EnsureReadyAsync(CancellationToken ct)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await setup.EnsureAsync(ct);
                return;
            }
            catch (ElasticsearchException e) when (e.IsTransient && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Elasticsearch set-up failed ({Reason}); retrying in {Delay}", e.Message, delay);
            }

            await Task.Delay(delay, ct);
        }
    }
}
