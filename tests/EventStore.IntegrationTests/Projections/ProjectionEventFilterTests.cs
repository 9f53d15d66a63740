using EventStore.Domain.Trading.Accounts;
using EventStore.IntegrationTests.Infrastructure;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Projections;

/// <summary>
/// Every async projection tells the daemon which event types it reads. One without a list (a projection that overrides
/// EvolveAsync and declares nothing) makes its shard load, deserialize and slice every event of the store: six of them
/// did, so each deposit was read seven times by the daemon (docs/performance.md, "What the async projections cost").
/// A deposit is read by two: the cash account's write-model snapshot (kept by the daemon) and its read model.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ProjectionEventFilterTests(AppFixture app)
{
    [Fact]
    public void every_async_projection_reads_a_declared_list_of_event_types_and_only_the_cash_snapshot_and_view_read_deposits()
    {
        var options = (StoreOptions)app.Host.Services.GetRequiredService<IDocumentStore>().Options;
        var asynchronous = options.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Async).ToList();
        Assert.NotEmpty(asynchronous);

        // The same choice Marten makes when it builds a shard's event loader.
        static IReadOnlyCollection<Type> Filter(object projection) => projection switch
        {
            IAggregateProjection aggregate => aggregate.AllEventTypes,
            EventFilterable filterable => filterable.IncludedEventTypes,
            _ => [],
        };

        var unfiltered = asynchronous.Where(p => Filter(p).Count == 0).Select(p => p.Name).ToList();
        Assert.True(unfiltered.Count == 0, "Async projections that read every event: " + string.Join(", ", unfiltered));

        var readingDeposits = asynchronous.Where(p => Filter(p).Contains(typeof(CashDeposited))).Select(p => p.Name).ToList();
        Assert.Equal(["CashAccount", "CashAccountView"], readingDeposits.Order(StringComparer.Ordinal));
    }
}
