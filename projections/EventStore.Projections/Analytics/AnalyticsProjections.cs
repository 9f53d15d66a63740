using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Analytics;

public static class AnalyticsProjections
{
    public static StoreOptions ConfigureAnalyticsProjections(this StoreOptions options, AnalyticsPseudonyms pseudonyms)
    {
        foreach (var table in AnalyticsTables.BuildAll())
        {
            options.Storage.ExtendedSchemaObjects.Add(table);
        }

        options.Projections.Add(new TradingAnalyticsProjection(pseudonyms), ProjectionLifecycle.Async);
        options.Projections.Add(new ChatAnalyticsProjection(pseudonyms), ProjectionLifecycle.Async);
        options.Projections.Add(new AiUsageAnalyticsProjection(pseudonyms), ProjectionLifecycle.Async);
        options.Projections.Add(new CommunityAnalyticsProjection(pseudonyms), ProjectionLifecycle.Async);
        return options;
    }
}
