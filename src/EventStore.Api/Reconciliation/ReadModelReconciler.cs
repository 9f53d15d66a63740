using System.Text.Json;
using EventStore.Projections.Trading;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Reconciliation;

/// <summary>
/// Recomputes the cash accounts, positions and orders from their event streams, with each projection's own
/// Create/Apply methods (Marten's live aggregation), and compares the result with the stored rows. Only what the
/// daemon has already processed is compared (see <see cref="ReadModelSnapshot"/>). Memory stays bounded: streams and
/// rows are read a page at a time, a stream's events are streamed and folded in chunks, and only
/// `Reconciliation:MaxReportedMismatches` mismatches are kept (the counts stay exact).
/// </summary>
public sealed class ReadModelReconciler(IDocumentStore store, IOptions<ReconciliationOptions> options, TimeProvider time)
{
    public async Task<ReconciliationReport> RunAsync(CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var found = new MismatchList(options.Value.MaxReportedMismatches);
        List<ReadModelSummary> summaries =
        [
            await CheckAsync(ReconciledReadModel<CashAccountView>.For(store), found, ct),
            await CheckAsync(ReconciledReadModel<PositionView>.For(store), found, ct),
            await CheckAsync(ReconciledReadModel<OrderView>.For(store), found, ct),
        ];
        return new ReconciliationReport(started, time.GetUtcNow(), summaries, found.Listed);
    }

    private async Task<ReadModelSummary> CheckAsync<TDoc>(ReconciledReadModel<TDoc> model, MismatchList found, CancellationToken ct)
        where TDoc : class
    {
        var tally = new Tally(model.Name, found);
        await CompareStreamsAsync(model, tally, ct);
        await FindRowsWithoutEventsAsync(model, tally, ct);
        return tally.Summary();
    }

    /// <summary>Every stream with processed events: its row must exist and equal the recomputed document.</summary>
    private async Task CompareStreamsAsync<TDoc>(ReconciledReadModel<TDoc> model, Tally tally, CancellationToken ct) where TDoc : class
    {
        var chunkSize = options.Value.EventChunkSize;
        // The aggregator gets a session of its own: the snapshot's connection is busy streaming events. The trading
        // projections never query (they are pure functions of the events), so it is never used in practice.
        await using var aggregation = store.QuerySession();
        Guid? after = null;
        while (true)
        {
            await using var snapshot = await ReadModelSnapshot.OpenAsync(store, ct);
            var through = await snapshot.ProcessedThroughAsync(model.Name, ct);
            tally.ProcessedThrough = Math.Max(tally.ProcessedThrough, through);
            var ids = await snapshot.StreamPageAsync(model.EventTypeNames, through, after, options.Value.PageSize, ct);
            if (ids.Length == 0)
            {
                return;
            }

            var deadLettered = await snapshot.DeadLetteredAsync(model.Name, through, ct);
            var rows = await snapshot.RowsAsync(model.Table, model.Columns, ids, ct);
            var fold = new StreamFold<TDoc>();
            await foreach (var @event in snapshot.EventsAsync(ids, model.EventTypes, through, ct))
            {
                if (@event.StreamId != fold.StreamId && fold.StreamId is { } finished)
                {
                    Compare(model, tally, finished, await fold.FinishAsync(model, aggregation, ct), fold.Skipped, rows);
                }

                fold.Add(@event, deadLettered.Contains(@event.Sequence));
                if (fold.Pending >= chunkSize)
                {
                    await fold.FoldAsync(model, aggregation, ct);
                }
            }

            if (fold.StreamId is { } last)
            {
                Compare(model, tally, last, await fold.FinishAsync(model, aggregation, ct), fold.Skipped, rows);
            }

            after = ids[^1];
        }
    }

    /// <summary>Every stored row must belong to a stream with processed events of its projection.</summary>
    private async Task FindRowsWithoutEventsAsync<TDoc>(ReconciledReadModel<TDoc> model, Tally tally, CancellationToken ct) where TDoc : class
    {
        Guid? after = null;
        while (true)
        {
            await using var snapshot = await ReadModelSnapshot.OpenAsync(store, ct);
            var through = await snapshot.ProcessedThroughAsync(model.Name, ct);
            var ids = await snapshot.RowPageAsync(model.Table, after, options.Value.PageSize, ct);
            if (ids.Length == 0)
            {
                return;
            }

            tally.RowsChecked += ids.Length;
            var explained = await snapshot.StreamsWithEventsAsync(ids, model.EventTypeNames, through, ct);
            var unexplained = ids.Where(id => !explained.Contains(id)).ToArray();
            if (unexplained.Length > 0)
            {
                var rows = await snapshot.RowsAsync(model.Table, model.Columns, unexplained, ct);
                foreach (var id in unexplained)
                {
                    tally.Add(MismatchKind.ExtraRow, id, null, null, rows.TryGetValue(id, out var row) ? FieldDiff.Shorten(row.Data) : null);
                }
            }

            after = ids[^1];
        }
    }

    private void Compare<TDoc>(ReconciledReadModel<TDoc> model, Tally tally, Guid id, TDoc? expected, bool skipped,
        Dictionary<Guid, StoredRow> rows) where TDoc : class
    {
        if (skipped)
        {
            tally.StreamsSkipped++;
            return;
        }

        tally.StreamsChecked++;
        rows.TryGetValue(id, out var row);
        if (expected is null)
        {
            // The projection makes no document of these events (or deletes it): a row is one too many.
            if (row is not null)
            {
                tally.Add(MismatchKind.ExtraRow, id, null, null, FieldDiff.Shorten(row.Data));
            }

            return;
        }

        model.SetId(expected, id);
        var json = store.Options.Serializer().ToJson(expected);
        if (row is null)
        {
            tally.Add(MismatchKind.MissingRow, id, null, FieldDiff.Shorten(json), null);
            return;
        }

        using (var expectedJson = JsonDocument.Parse(json))
        using (var actualJson = JsonDocument.Parse(row.Data))
        {
            foreach (var difference in FieldDiff.Compare(expectedJson.RootElement, actualJson.RootElement))
            {
                tally.Add(MismatchKind.FieldMismatch, id, difference.Field, difference.Expected, difference.Actual);
            }
        }

        foreach (var column in model.Columns)
        {
            if (FieldDiff.CompareColumn(column.Name, column.ValueOf(expected), row.Columns[column.Name]) is { } difference)
            {
                tally.Add(MismatchKind.FieldMismatch, id, difference.Field, difference.Expected, difference.Actual);
            }
        }
    }

    /// <summary>Folds one stream at a time, in chunks, from the events as they stream in.</summary>
    private sealed class StreamFold<TDoc> where TDoc : class
    {
        private readonly List<IEvent> _pending = [];
        private TDoc? _state;

        public Guid? StreamId { get; private set; }

        public bool Skipped { get; private set; }

        public int Pending => _pending.Count;

        public void Add(IEvent @event, bool deadLettered)
        {
            if (@event.StreamId != StreamId)
            {
                (StreamId, _state, Skipped) = (@event.StreamId, null, false);
            }

            Skipped |= deadLettered;
            _pending.Add(@event);
        }

        public async Task FoldAsync(ReconciledReadModel<TDoc> model, IQuerySession session, CancellationToken ct)
        {
            if (_pending.Count > 0)
            {
                _state = await model.Aggregator.BuildAsync(_pending, session, _state, ct);
                _pending.Clear();
            }
        }

        public async Task<TDoc?> FinishAsync(ReconciledReadModel<TDoc> model, IQuerySession session, CancellationToken ct)
        {
            await FoldAsync(model, session, ct);
            return _state;
        }
    }

    /// <summary>One read model's counts.</summary>
    private sealed class Tally(string readModel, MismatchList found)
    {
        private int _missing;
        private int _extra;
        private int _fields;

        public long ProcessedThrough { get; set; }

        public int StreamsChecked { get; set; }

        public int RowsChecked { get; set; }

        public int StreamsSkipped { get; set; }

        public void Add(MismatchKind kind, Guid id, string? field, string? expected, string? actual)
        {
            _ = kind switch
            {
                MismatchKind.MissingRow => ++_missing,
                MismatchKind.ExtraRow => ++_extra,
                _ => ++_fields,
            };
            found.Add(new ReadModelMismatch(kind, readModel, id, field, expected, actual));
        }

        public ReadModelSummary Summary() =>
            new(readModel, ProcessedThrough, StreamsChecked, RowsChecked, StreamsSkipped, _missing, _extra, _fields);
    }

    /// <summary>The first N mismatches of a run.</summary>
    private sealed class MismatchList(int capacity)
    {
        private readonly List<ReadModelMismatch> _listed = [];

        public IReadOnlyList<ReadModelMismatch> Listed => _listed;

        public void Add(ReadModelMismatch mismatch)
        {
            if (_listed.Count < capacity)
            {
                _listed.Add(mismatch);
            }
        }
    }
}
