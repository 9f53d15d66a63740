using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.Reconciliation;

/// <summary>Section `Reconciliation`: the scheduled comparison of the trading read models with their event streams.</summary>
public sealed class ReconciliationOptions : IValidatableObject
{
    public const string SectionName = "Reconciliation";

    /// <summary>
    /// Time between two scheduled runs, counted from the end of the last run anywhere in the cluster (a run by the
    /// mutation or the command line counts too). `00:00:00` turns the schedule off; the mutation and the command line
    /// still work.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Streams (or rows) compared per database round: what one page holds in memory.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>Events folded at a time inside one stream: a long stream is aggregated in chunks of this many.</summary>
    [Range(1, 100_000)]
    public int EventChunkSize { get; set; } = 1_000;

    /// <summary>Mismatches listed in a report; the counts stay exact beyond it and the report says it was truncated.</summary>
    [Range(1, 100_000)]
    public int MaxReportedMismatches { get; set; } = 1_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Below a second the schedule would be a busy loop over the whole trading log.
        if (Interval > TimeSpan.Zero && Interval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Reconciliation:Interval must be 00:00:00 (off) or at least 00:00:01.", [nameof(Interval)]);
        }
    }
}
