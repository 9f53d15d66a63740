using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventStore.Api.Reconciliation;

/// <summary>
/// Readiness (tag `ready`): Degraded while the last reconciliation anywhere in the cluster found mismatches, so that a
/// tampered read model shows on every node's `/health/ready` (still 200: the node can serve; the data needs a look).
/// Healthy before the first run and after a clean one. The description has counts only.
/// </summary>
public sealed class ReconciliationHealthCheck(ReconciliationRunner runner) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ReconciliationRecord? latest;
        try
        {
            latest = await runner.LatestAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The database check reports an unreachable database; this one only knows it cannot tell.
            return HealthCheckResult.Degraded("The last read-model reconciliation cannot be read.");
        }

        return latest switch
        {
            null => HealthCheckResult.Healthy("No read-model reconciliation has run yet."),
            { Mismatches: 0 } => HealthCheckResult.Healthy($"The last read-model reconciliation ({latest.FinishedAt:u}) found no mismatch."),
            _ => HealthCheckResult.Degraded(
                $"The last read-model reconciliation ({latest.FinishedAt:u}) found {latest.Mismatches} mismatches: {latest.MissingRows} "
                + $"missing rows, {latest.ExtraRows} extra rows, {latest.FieldMismatches} differing fields."),
        };
    }
}
