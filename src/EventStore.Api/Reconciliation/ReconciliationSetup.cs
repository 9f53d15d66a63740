using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventStore.Api.Reconciliation;

public static class ReconciliationSetup
{
    /// <summary>The runner (mutation, command line), the schedule, its record document and its metrics.</summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.ConfigureMarten(options => options.Schema.For<ReconciliationRecord>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<ReconciliationMetrics>();
        services.AddSingleton<ReadModelReconciler>();
        services.AddSingleton<ReconciliationRunner>();
        services.AddHostedService<ScheduledReconciliation>();
        return services;
    }
}
