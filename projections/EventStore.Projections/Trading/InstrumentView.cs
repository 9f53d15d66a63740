using EventStore.Domain.Trading.Instruments;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Trading;

/// <summary>Instrument reference data as screens and the market-data pump read it. Inline: listings are rare writes.</summary>
public sealed class InstrumentView
{
    public Guid Id { get; set; }
    public string Symbol { get; set; } = "";
    public string Name { get; set; } = "";
    public string Currency { get; set; } = "";
    public decimal TickSize { get; set; }
    public decimal LotSize { get; set; }
    public decimal ReferencePrice { get; set; }
    public bool Tradable { get; set; }
    public string? HaltReason { get; set; }
}

public sealed class InstrumentViewProjection : SingleStreamProjection<InstrumentView, Guid>
{
    public static InstrumentView Create(InstrumentListed e) => new()
    {
        Id = e.InstrumentId,
        Symbol = e.Symbol,
        Name = e.Name,
        Currency = e.Currency,
        TickSize = e.TickSize,
        LotSize = e.LotSize,
        ReferencePrice = e.ReferencePrice,
        Tradable = true,
    };

    public static void Apply(InstrumentUpdated e, InstrumentView view)
    {
        view.Name = e.Name;
        view.TickSize = e.TickSize;
        view.LotSize = e.LotSize;
    }

    public static void Apply(InstrumentHalted e, InstrumentView view)
    {
        view.Tradable = false;
        view.HaltReason = e.Reason;
    }

    public static void Apply(InstrumentResumed e, InstrumentView view)
    {
        view.Tradable = true;
        view.HaltReason = null;
    }
}
