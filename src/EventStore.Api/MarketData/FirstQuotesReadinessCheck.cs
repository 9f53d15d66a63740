using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Orders;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EventStore.Api.MarketData;

/// <summary>
/// With the simulated feed, the node is not ready until every quoted instrument has a quote: a market order sent the
/// moment readiness says yes must not be rejected for want of one. Once seen complete it stays so (no query per probe
/// after that; later staleness is the order path's business). A vendor feed does not gate readiness: its outage must
/// not take the API down, and orders say QUOTE_UNAVAILABLE meanwhile.
/// </summary>
public sealed class FirstQuotesReadinessCheck(IServiceScopeFactory scopes, IOptions<MarketDataOptions> options) : IHealthCheck
{
    private volatile bool _complete;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_complete || !options.Value.Enabled || options.Value.UsesHttp)
        {
            return HealthCheckResult.Healthy("Quotes do not gate readiness, or every instrument had one.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var symbols = (await scope.ServiceProvider.GetRequiredService<IQuotedSymbols>().GetAsync(cancellationToken))
            .Select(s => s.Symbol).ToArray();
        var quoted = symbols.Length == 0
            ? []
            : (await scope.ServiceProvider.GetRequiredService<IQuerySession>().LoadManyAsync<QuoteSnapshot>(cancellationToken, symbols))
                .Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var missing = symbols.Where(s => !quoted.Contains(s)).ToList();
        if (missing.Count > 0)
        {
            return HealthCheckResult.Unhealthy(
                $"Waiting for the simulated feed's first quote of {missing.Count} instrument(s), e.g. {missing[0]}.");
        }

        _complete = true;
        return HealthCheckResult.Healthy("Every instrument has a quote.");
    }
}
