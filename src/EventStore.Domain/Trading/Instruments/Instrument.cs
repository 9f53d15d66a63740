namespace EventStore.Domain.Trading.Instruments;

/// <summary>Write model of an instrument's reference data. Its stream is small: quotes live on their own stream.</summary>
public sealed class Instrument
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Symbol { get; set; } = "";
    public string Name { get; set; } = "";
    public string Currency { get; set; } = "";
    public decimal TickSize { get; set; }
    public decimal LotSize { get; set; }
    public decimal ReferencePrice { get; set; }
    public bool Tradable { get; set; }

    public void Apply(InstrumentListed e)
    {
        Id = e.InstrumentId;
        Symbol = e.Symbol;
        Name = e.Name;
        Currency = e.Currency;
        TickSize = e.TickSize;
        LotSize = e.LotSize;
        ReferencePrice = e.ReferencePrice;
        Tradable = true;
    }

    public void Apply(InstrumentUpdated e)
    {
        Name = e.Name;
        TickSize = e.TickSize;
        LotSize = e.LotSize;
    }

    public void Apply(InstrumentHalted e) => Tradable = false;

    public void Apply(InstrumentResumed e) => Tradable = true;
}
