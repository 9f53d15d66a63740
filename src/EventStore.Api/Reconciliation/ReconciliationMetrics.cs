using System.Diagnostics.Metrics;

namespace EventStore.Api.Reconciliation;

/// <summary>
/// Meter `EventStore`: `eventstore.reconciliation.runs` (tags `trigger`: schedule, admin, command_line; `outcome`: clean,
/// mismatches, busy, failed) and `eventstore.reconciliation.mismatches` (tags `read_model`, `kind`: missing_row,
/// extra_row, field_mismatch). Alert on a rising mismatches counter, or on runs with outcome `mismatches`.
/// </summary>
public sealed class ReconciliationMetrics
{
    private readonly Counter<long> _runs;
    private readonly Counter<long> _mismatches;

    public ReconciliationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.EventStoreTelemetry.Name);
        _runs = meter.CreateCounter<long>("eventstore.reconciliation.runs", "{run}", "Read-model reconciliation runs, by trigger and outcome.");
        _mismatches = meter.CreateCounter<long>("eventstore.reconciliation.mismatches", "{mismatch}",
            "Read-model rows (or fields) found different from their event streams.");
    }

    public void Completed(ReconciliationTrigger trigger, ReconciliationReport report)
    {
        foreach (var model in report.ReadModels)
        {
            Add(model.ReadModel, MismatchKind.MissingRow, model.MissingRows);
            Add(model.ReadModel, MismatchKind.ExtraRow, model.ExtraRows);
            Add(model.ReadModel, MismatchKind.FieldMismatch, model.FieldMismatches);
        }

        Run(trigger, report.MismatchCount == 0 ? "clean" : "mismatches");
    }

    public void Run(ReconciliationTrigger trigger, string outcome) =>
        _runs.Add(1, new KeyValuePair<string, object?>("trigger", Snake(trigger.ToString())), new KeyValuePair<string, object?>("outcome", outcome));

    private void Add(string readModel, MismatchKind kind, int count)
    {
        if (count > 0)
        {
            _mismatches.Add(count, new KeyValuePair<string, object?>("read_model", readModel),
                new KeyValuePair<string, object?>("kind", Snake(kind.ToString())));
        }
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
