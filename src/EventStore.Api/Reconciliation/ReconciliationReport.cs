namespace EventStore.Api.Reconciliation;

/// <summary>What differs between a read-model row and the state recomputed from its stream.</summary>
public enum MismatchKind
{
    /// <summary>The stream has (processed) events but the read model has no row for it.</summary>
    MissingRow,

    /// <summary>The read model has a row that no processed event of its projection explains.</summary>
    ExtraRow,

    /// <summary>The row exists but one of its fields holds another value than the events give.</summary>
    FieldMismatch,
}

/// <summary>Who started a run: recorded with it and used as the metric's `trigger` tag.</summary>
public enum ReconciliationTrigger
{
    Schedule,
    Admin,
    CommandLine,
}

/// <summary>
/// One difference. <see cref="Field"/> is the stored JSON path (`Balance`, `History[2].Status`) or a duplicated column
/// (`user_id`); <see cref="Expected"/> and <see cref="Actual"/> are JSON text (null: absent).
/// </summary>
public sealed record ReadModelMismatch(MismatchKind Kind, string ReadModel, Guid Id, string? Field, string? Expected, string? Actual);

/// <summary>One read model's part of a run.</summary>
public sealed record ReadModelSummary(
    string ReadModel,
    long ProcessedThrough,
    int StreamsChecked,
    int RowsChecked,
    int StreamsSkipped,
    int MissingRows,
    int ExtraRows,
    int FieldMismatches)
{
    public int Mismatches => MissingRows + ExtraRows + FieldMismatches;
}

/// <summary>
/// A whole run. <see cref="Mismatches"/> lists at most `Reconciliation:MaxReportedMismatches` entries;
/// <see cref="MismatchCount"/> counts them all.
/// </summary>
public sealed record ReconciliationReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<ReadModelSummary> ReadModels,
    IReadOnlyList<ReadModelMismatch> Mismatches)
{
    public int StreamsChecked => ReadModels.Sum(x => x.StreamsChecked);

    public int RowsChecked => ReadModels.Sum(x => x.RowsChecked);

    public int MismatchCount => ReadModels.Sum(x => x.Mismatches);

    public bool Truncated => MismatchCount > Mismatches.Count;
}
