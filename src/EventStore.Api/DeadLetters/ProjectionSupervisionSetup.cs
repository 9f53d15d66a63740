using EventStore.Api.Health;
using Marten;

namespace EventStore.Api.DeadLetters;

public static class ProjectionSupervisionSetup
{
    /// <summary>
    /// Projections never stop silently: Marten's own skip-and-dead-letter policy for failures in projection code (also
    /// during rebuilds), our isolation of events whose WRITE fails (<see cref="ProjectionRepair"/>), the supervisor,
    /// dead-letter reads and replay, the readiness check and the metrics. docs/operations.md#dead-letters.
    /// </summary>
    public static WebApplicationBuilder AddProjectionSupervision(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(options =>
        {
            // Marten's defaults while running, said out loud; during a rebuild Marten's default is to stop at the
            // first failure, which made a single poison event fail every rebuild: skip and dead-letter there too.
            options.Projections.Errors.SkipApplyErrors = true;
            options.Projections.Errors.SkipSerializationErrors = true;
            options.Projections.Errors.SkipUnknownEvents = true;
            options.Projections.RebuildErrors.SkipApplyErrors = true;
            options.Projections.RebuildErrors.SkipSerializationErrors = true;
            options.Projections.RebuildErrors.SkipUnknownEvents = true;
        });
        builder.Services.AddOptions<ProjectionHealthOptions>().BindConfiguration(ProjectionHealthOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ProjectionMetrics>();
        builder.Services.AddSingleton<ProjectionFailureLog>();
        builder.Services.AddSingleton<ProjectionStatusReader>();
        builder.Services.AddSingleton<ProjectionRepair>();
        builder.Services.AddSingleton<DeadLetterReads>();
        builder.Services.AddHostedService<ProjectionSupervisor>();
        builder.Services.AddHealthChecks().AddCheck<ProjectionReadinessCheck>("projections", tags: [HealthSetup.ReadyTag]);
        return builder;
    }
}
