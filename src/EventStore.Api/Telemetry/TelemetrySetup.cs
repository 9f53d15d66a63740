using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventStore.Api.Telemetry;

/// <summary>
/// OpenTelemetry (docs/observability.md): spans from ASP.NET Core, our GraphQL operations, Wolverine, Npgsql (Marten's
/// SQL) and outgoing HTTP; metrics from our meter, Wolverine, Npgsql, ASP.NET Core, HttpClient and the runtime; OTLP
/// export when `Telemetry:OtlpEndpoint` or OTEL_EXPORTER_OTLP_ENDPOINT is set; Prometheus text on `/metrics`.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>Wolverine's ActivitySource name; its Meter is "Wolverine:" + its service name.</summary>
    public const string Wolverine = "Wolverine";

    public static WebApplicationBuilder AddEventStoreTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        builder.Services.Configure<TelemetryOptions>(section);
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var metricsGate = new MetricsAccess(options.ParseNetworks()); // a bad network stops the start-up here
        builder.Services.AddSingleton(metricsGate);
        builder.Services.AddSingleton<ApiMetrics>();
        builder.Services.AddSingleton<EventsAppendedListener>();

        var otlp = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint);
        var otlpFromEnvironment = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("eventstore"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(EventStoreTelemetry.Name, Wolverine)
                    // Scrapes and probes would drown the traces that matter.
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                    .AddHttpClientInstrumentation();
                if (options.DatabaseSpans ?? (otlp is not null || otlpFromEnvironment))
                {
                    tracing.AddSource("Npgsql"); // Npgsql's own ActivitySource (what Npgsql.OpenTelemetry's AddNpgsql adds)
                }

                if (tracing is IDeferredTracerProviderBuilder deferred)
                {
                    deferred.Configure((services, builder) => builder.AddProcessor(new CommandMetricsProcessor(services.GetRequiredService<ApiMetrics>())));
                }

                if (otlp is not null || otlpFromEnvironment)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = otlp ?? o.Endpoint);
                }
            })
            .WithMetrics(metrics =>
            {
                // Only this host's instruments: several hosts in one process (the tests) each have an "EventStore" and
                // an ASP.NET Core meter of the same names, and OpenTelemetry would merge them into one stream that the
                // first host to stop takes away. Meters made without a factory (Npgsql, Wolverine) have no scope.
                if (metrics is IDeferredMeterProviderBuilder deferred)
                {
                    deferred.Configure((services, builder) =>
                    {
                        var factory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                        builder.AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, factory)
                            ? null
                            : MetricStreamConfiguration.Drop);
                    });
                }

                metrics.AddMeter(EventStoreTelemetry.Name, Wolverine + ":*")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    // Npgsql's meter as it is (AddNpgsqlInstrumentation switches the process-wide meter to other names).
                    .AddMeter("Npgsql")
                    // The runtime's own instruments (GC, thread pool, JIT, exceptions): dotnet.* in /metrics.
                    .AddMeter("System.Runtime")
                    .AddPrometheusExporter();
                if (otlp is not null || otlpFromEnvironment)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = otlp ?? o.Endpoint);
                }
            });
        return builder;
    }

    /// <summary>`/metrics` for loopback callers and the networks of `Telemetry:MetricsAllowedNetworks`; 403 for others.</summary>
    public static IEndpointRouteBuilder MapEventStoreMetrics(this IEndpointRouteBuilder endpoints)
    {
        var gate = endpoints.ServiceProvider.GetRequiredService<MetricsAccess>();
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(
            async (http, next) =>
            {
                if (gate.Allows(http.Connection.RemoteIpAddress))
                {
                    await next(http);
                    return;
                }

                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.Response.WriteAsync("Metrics are served to loopback and Telemetry:MetricsAllowedNetworks only.\n");
            }), optionsName: null);
        return endpoints;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.Ordinal) || path.StartsWithSegments("/health", StringComparison.Ordinal);
}
