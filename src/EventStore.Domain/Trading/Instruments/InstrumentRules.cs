namespace EventStore.Domain.Trading.Instruments;

/// <summary>Shape limits of instrument reference data, shared by the commands that carry it and the API's inputs; state rules.</summary>
public static class InstrumentRules
{
    public const int SymbolMaxLength = MarketData.Quote.SymbolMaxLength;
    public const int NameMaxLength = 100;
    public const int CurrencyLength = 3;
    public const int HaltReasonMaxLength = 500;

    /// <summary>The admin commands act on a listed instrument only.</summary>
    public static Instrument MustBeListed(Instrument? instrument) =>
        instrument is null || instrument.Id == Guid.Empty ? throw new NotFoundException("Instrument not found.") : instrument;
}
