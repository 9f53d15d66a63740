using System.Diagnostics.Metrics;

namespace EventStore.GraphQL.Transport.Limits;

/// <summary>
/// Meter <see cref="GraphQLTransportOptions.MeterName"/> (`EventStore` in the Api): `eventstore.graphql.rate_limited` (operation fields refused by the rate limits) and
/// `eventstore.graphql.cost_refused` (operations refused by the cost caps, tag `reason`). A flood shows up as a rising
/// count, not as failures in the logs.
/// </summary>
public sealed class LimitMetrics
{
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _costRefused;

    public LimitMetrics(IMeterFactory meters, GraphQLTransportOptions transport)
    {
        var meter = meters.Create(transport.MeterName);
        _rateLimited = meter.CreateCounter<long>("eventstore.graphql.rate_limited", "{field}", "Operation fields refused by the rate limits.");
        _costRefused = meter.CreateCounter<long>("eventstore.graphql.cost_refused", "{operation}",
            "Operations refused by the cost caps before execution.");
    }

    public void RateRefused(int fields) => _rateLimited.Add(fields);

    public void CostRefused(string? reason) => _costRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
