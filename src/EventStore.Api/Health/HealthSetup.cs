using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventStore.Api.Health;

public static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddEventStoreHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<EventStoreReadinessCheck>("eventstore", tags: [Ready]);
        return services;
    }

    /// <summary>
    /// `/health/live`: the process answers. `/health/ready`: it can serve (database and schema; documents Elasticsearch
    /// rejected make it Degraded). Both anonymous.
    /// </summary>
    public static IEndpointRouteBuilder MapEventStoreHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return endpoints;
    }

    /// <summary>The status; below it, when not Healthy, each check that is not, with its description (never a secret).</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(string.Join('\n', [report.Status.ToString(),
            .. report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}")]));
    }
}
