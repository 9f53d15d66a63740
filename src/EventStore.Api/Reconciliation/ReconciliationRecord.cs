namespace EventStore.Api.Reconciliation;

/// <summary>
/// The last completed run anywhere in the cluster (one document, id <see cref="LatestId"/>): every node's readiness
/// reads it, and the schedule counts its interval from it. Counts only, no row ids or values.
/// </summary>
public sealed class ReconciliationRecord
{
    public const string LatestId = "latest";

    public string Id { get; set; } = LatestId;
    public ReconciliationTrigger Trigger { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public int StreamsChecked { get; set; }
    public int RowsChecked { get; set; }
    public int MissingRows { get; set; }
    public int ExtraRows { get; set; }
    public int FieldMismatches { get; set; }

    public int Mismatches => MissingRows + ExtraRows + FieldMismatches;

    public static ReconciliationRecord Of(ReconciliationReport report, ReconciliationTrigger trigger) => new()
    {
        Trigger = trigger,
        StartedAt = report.StartedAt,
        FinishedAt = report.FinishedAt,
        StreamsChecked = report.StreamsChecked,
        RowsChecked = report.RowsChecked,
        MissingRows = report.ReadModels.Sum(x => x.MissingRows),
        ExtraRows = report.ReadModels.Sum(x => x.ExtraRows),
        FieldMismatches = report.ReadModels.Sum(x => x.FieldMismatches),
    };
}
