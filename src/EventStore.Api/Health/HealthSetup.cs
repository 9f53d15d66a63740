using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventStore.Api.Health;

public static class HealthSetup
{
    /// <summary>The tag of the checks `/health/ready` runs (the event store here, the projections in DeadLetters/).</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddEventStoreHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<EventStoreReadinessCheck>("eventstore", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// `/health/live`: the process answers. `/health/ready`: it can serve (database and schema) and its projections are
    /// not stopped; Degraded (still 200) when a projection has dead letters or lags. Both anonymous, text/plain: the
    /// status, then one line per check that is not Healthy, with its description (never connection details).
    /// </summary>
    public static IEndpointRouteBuilder MapEventStoreHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReadinessAsync,
        });
        return endpoints;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        var lines = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Status}: {e.Value.Description}");
        return context.Response.WriteAsync(string.Join("\n", [report.Status.ToString(), .. lines]));
    }
}
