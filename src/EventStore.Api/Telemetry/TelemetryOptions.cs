using System.Net;

namespace EventStore.Api.Telemetry;

/// <summary>`Telemetry:*` settings (docs/observability.md).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// OTLP collector address (for example http://otel-collector:4317). Empty: no OTLP export, unless the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT environment variable is set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// A span for every database command (Npgsql's, Marten's SQL included). Unset: only when traces are exported (an OTLP
    /// endpoint is set), since nothing else reads them and they cost a quarter of the app's CPU per deposit at 8 workers
    /// (docs/performance.md, eleventh round). true / false: always / never.
    /// </summary>
    public bool? DatabaseSpans { get; set; }

    /// <summary>
    /// Networks (CIDR, for example 10.0.0.0/8) besides loopback whose callers may read `/metrics`. Empty: loopback only.
    /// </summary>
    public string[] MetricsAllowedNetworks { get; set; } = [];

    /// <summary>The parsed <see cref="MetricsAllowedNetworks"/>; a bad entry stops the app at start-up.</summary>
    public IReadOnlyList<IPNetwork> ParseNetworks() => MetricsAllowedNetworks
        .Where(x => !string.IsNullOrWhiteSpace(x))
        .Select(x => IPNetwork.TryParse(x.Trim(), out var network)
            ? network
            : throw new Microsoft.Extensions.Options.OptionsValidationException(Section, typeof(TelemetryOptions),
                [$"Telemetry:MetricsAllowedNetworks: '{x}' is not a network in CIDR notation (for example 10.0.0.0/8)."]))
        .ToList();
}
