using EventStore.Api.Auth;
using EventStore.Api.Database;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Instruments;
using EventStore.Projections.Trading;
using Marten;
using Wolverine;

namespace EventStore.Api.Hosting;

/// <summary>
/// Lists the catalogue's instruments that are not listed yet (`Trading:SeedInstruments`, default true), through the
/// same ListInstrument command an admin uses, once every hosted service has started.
/// </summary>
public sealed class InstrumentSeeder(IServiceProvider services, IConfiguration configuration, ILogger<InstrumentSeeder> logger)
    : StartupTask
{
    public override async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Trading:SeedInstruments", true))
        {
            return;
        }

        await SeedAsync(services, cancellationToken);
        logger.LogInformation("Instrument catalogue checked: {Count} instruments", InstrumentCatalog.Seed.Count);
    }

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageContext>();
        bus.ActAs(EventStore.Domain.Auditing.SystemActors.Bootstrap, Guid.CreateVersion7().ToString());
        var listed = (await session.Query<InstrumentView>().Select(x => x.Symbol).ToListAsync(ct)).ToHashSet();
        foreach (var entry in InstrumentCatalog.Seed.Where(e => !listed.Contains(e.Symbol)))
        {
            try
            {
                await bus.InvokeAsync(new ListInstrument(entry.Symbol, entry.Name, InstrumentCatalog.Currency, entry.TickSize,
                    entry.LotSize, entry.ReferencePrice), ct);
            }
            catch (EventStore.Domain.ConflictException)
            {
                // Another node starting at the same time listed it first: it is listed, which is all the seeder wants.
            }
        }
    }
}
