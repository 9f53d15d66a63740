using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventStore.Api.Health;

public static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddEventStoreHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<EventStoreReadinessCheck>("eventstore", tags: [Ready]);
        services.AddHealthChecks().AddCheck<Reconciliation.ReconciliationHealthCheck>("reconciliation", tags: [Ready]);
        return services;
    }

    /// <summary>`/health/live`: the process answers. `/health/ready`: it can serve (database and schema). Both anonymous.</summary>
    public static IEndpointRouteBuilder MapEventStoreHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return endpoints;
    }
}
