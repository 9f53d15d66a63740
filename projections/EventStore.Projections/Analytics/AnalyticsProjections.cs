using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Analytics;

public static class AnalyticsProjections
{
    public static StoreOptions ConfigureAnalyticsProjections(this StoreOptions options, AnalyticsPseudonyms pseudonyms)
    {
        foreach (var table in AnalyticsTables.BuildTrading())
        {
            options.Storage.ExtendedSchemaObjects.Add(table);
        }

        options.Projections.Add(new TradingAnalyticsProjection(pseudonyms), ProjectionLifecycle.Async);
        return options;
    }
}
