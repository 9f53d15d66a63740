using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EventStore.Api.DeadLetters;

/// <summary>
/// Readiness of the read side: Unhealthy when a projection or subscription has stopped (needs an operator), Degraded
/// when one has dead letters or lags more than <see cref="ProjectionHealthOptions"/> allows, else Healthy. One query
/// (<see cref="ProjectionStatusReader"/>); it never throws.
/// </summary>
public sealed class ProjectionReadinessCheck(ProjectionStatusReader reader, IOptions<ProjectionHealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ProjectionSnapshot> projections;
        try
        {
            projections = await reader.ReadAsync(cancellationToken);
        }
        catch (Exception)
        {
            // The event store check says why (PostgreSQL unreachable, schema missing); no details here.
            return HealthCheckResult.Unhealthy("Projection status could not be read.");
        }

        var stopped = projections.Where(p => p.State == ProjectionRunState.Stopped)
            .Select(p => $"{p.Name} stopped{(p.Failure is null ? "" : $": {p.Failure}")}").ToList();
        if (stopped.Count > 0)
        {
            return HealthCheckResult.Unhealthy(string.Join("; ", stopped) + ".");
        }

        var limits = options.Value;
        var degraded = new List<string>();
        foreach (var p in projections)
        {
            if (p.DeadLetters > 0)
            {
                degraded.Add($"{p.Name} has {p.DeadLetters} dead letter(s) (see the deadLetters query)");
            }

            if (p.Lag > limits.MaxProjectionLag)
            {
                degraded.Add($"{p.Name} is {p.Lag} events behind (limit {limits.MaxProjectionLag})");
            }
            else if (p.OldestPendingAge > limits.MaxProjectionLagTime)
            {
                degraded.Add($"{p.Name} is {p.OldestPendingAge.Value.TotalSeconds:0} s behind (limit {limits.MaxProjectionLagTime.TotalSeconds:0} s)");
            }
        }

        return degraded.Count > 0
            ? HealthCheckResult.Degraded(string.Join("; ", degraded) + ".")
            : HealthCheckResult.Healthy("Projections are running and within their lag limits.");
    }
}
