using Marten;
using Npgsql;

namespace EventStore.Api.Reconciliation;

/// <summary>A run, or why there was none: another run holds the cluster-wide lock, or (schedule) it is not due any more.</summary>
public sealed record ReconciliationAttempt(ReconciliationReport? Report, bool Busy);

/// <summary>
/// Runs the reconciliation for every trigger (schedule, admin mutation, command line): one run at a time across the
/// cluster (a PostgreSQL session advisory lock, held on a connection of its own for the whole run, released when the
/// connection ends even if the process dies), then records the result for readiness, logs it (counts only) and counts
/// it in the metrics.
/// </summary>
public sealed class ReconciliationRunner(
    IDocumentStore store,
    ReadModelReconciler reconciler,
    ReconciliationMetrics metrics,
    ILogger<ReconciliationRunner> logger)
{
    /// <summary>"reconcil" in ASCII; the audit ledger's lock is "audit" (LedgerSchema).</summary>
    public const long AdvisoryLockKey = 0x7265636F6E63696C;

    /// <summary>
    /// Runs unless another run holds the lock. <paramref name="stillDue"/>, asked under the lock with the latest record,
    /// lets the schedule stand down when another node finished a run just before.
    /// </summary>
    public async Task<ReconciliationAttempt> TryRunAsync(ReconciliationTrigger trigger, Func<ReconciliationRecord?, bool>? stillDue,
        CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if (!await LockAsync(connection, "select pg_try_advisory_lock(@key)", ct))
        {
            metrics.Run(trigger, "busy");
            logger.LogInformation("Read-model reconciliation ({Trigger}) not started: another run holds the lock", trigger);
            return new ReconciliationAttempt(null, Busy: true);
        }

        try
        {
            if (stillDue is not null && !stillDue(await LatestAsync(ct)))
            {
                return new ReconciliationAttempt(null, Busy: false);
            }

            ReconciliationReport report;
            try
            {
                report = await reconciler.RunAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.Run(trigger, "failed");
                logger.LogError(e, "Read-model reconciliation ({Trigger}) failed", trigger);
                throw;
            }

            // Recorded before it is announced: whoever reacts to the log or the metric finds readiness already updated.
            await RecordAsync(ReconciliationRecord.Of(report, trigger), ct);
            Log(trigger, report);
            metrics.Completed(trigger, report);
            return new ReconciliationAttempt(report, Busy: false);
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    public async Task<ReconciliationRecord?> LatestAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ReconciliationRecord>(ReconciliationRecord.LatestId, ct);
    }

    private async Task RecordAsync(ReconciliationRecord record, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(record);
        await session.SaveChangesAsync(ct);
    }

    private void Log(ReconciliationTrigger trigger, ReconciliationReport report)
    {
        // Counts and read-model names only: no row ids, no values (the report itself goes to the admin or the console).
        var perModel = string.Join(", ", report.ReadModels.Select(m => $"{m.ReadModel} {m.Mismatches}"));
        if (report.MismatchCount > 0)
        {
            logger.LogWarning(
                "Read-model reconciliation ({Trigger}) found {Mismatches} mismatches ({MissingRows} missing rows, {ExtraRows} extra rows, "
                + "{FieldMismatches} differing fields) in {StreamsChecked} streams and {RowsChecked} rows: {PerReadModel}",
                trigger, report.MismatchCount, report.ReadModels.Sum(m => m.MissingRows), report.ReadModels.Sum(m => m.ExtraRows),
                report.ReadModels.Sum(m => m.FieldMismatches), report.StreamsChecked, report.RowsChecked, perModel);
        }
        else
        {
            logger.LogInformation("Read-model reconciliation ({Trigger}) found no mismatch in {StreamsChecked} streams and {RowsChecked} rows",
                trigger, report.StreamsChecked, report.RowsChecked);
        }
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            await LockAsync(connection, "select pg_advisory_unlock(@key)", CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The lock belongs to the session. The pool does not reset connections (No Reset On Close), so this one must
            // not go back to it holding the lock: clearing the pool closes it when it is returned, which releases it.
            logger.LogWarning(e, "Releasing the reconciliation lock failed; it ends with its connection");
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
