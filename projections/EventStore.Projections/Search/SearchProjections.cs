using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Search;

public static class SearchProjections
{
    /// <summary>The PostgreSQL search read model: always built (it is also what a rebuild of Elasticsearch compares to).</summary>
    public static StoreOptions ConfigureSearchProjections(this StoreOptions options)
    {
        options.Storage.ExtendedSchemaObjects.Add(SearchTable.Build());
        options.Projections.Add(new SearchDocumentProjection(), ProjectionLifecycle.Async);
        return options;
    }
}
