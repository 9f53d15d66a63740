using EventStore.Domain.MarketData;
using EventStore.Domain.Privacy;
using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Trading;

public static class TradingProjections
{
    public static StoreOptions ConfigureTradingProjections(this StoreOptions options, PersonalDataProtector protector)
    {
        // Inline: the market-data pump and the instruments query read listings at once (placement reads the stream).
        options.Projections.Add<InstrumentViewProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add(new OrderViewProjection(protector), ProjectionLifecycle.Async);
        options.Projections.Add<TradingErasureProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<FillViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<CashAccountViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<PositionViewProjection>(ProjectionLifecycle.Async);
        options.Schema.For<InstrumentView>().UniqueIndex(x => x.Symbol);
        options.Schema.For<OrderView>().Duplicate(x => x.UserId).Duplicate(x => x.PlacedAt);
        options.Schema.For<FillView>().Duplicate(x => x.UserId).Duplicate(x => x.Symbol).Duplicate(x => x.FilledAt);
        options.Schema.For<PositionView>().Duplicate(x => x.UserId);
        return options;
    }
}

/// <summary>The pump quotes every tradable instrument.</summary>
public sealed class TradableInstruments(IQuerySession session) : IQuotedSymbols
{
    public async Task<IReadOnlyList<QuotedSymbol>> GetAsync(CancellationToken ct)
    {
        var instruments = await session.Query<InstrumentView>().Where(x => x.Tradable).OrderBy(x => x.Symbol).ToListAsync(ct);
        return instruments.Select(x => new QuotedSymbol(x.Symbol, x.ReferencePrice, x.TickSize, x.LotSize)).ToList();
    }
}
