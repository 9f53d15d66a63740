namespace EventStore.Domain.Trading.Instruments;

/// <summary>Shape limits of instrument reference data, shared by the commands that carry it and the API's inputs.</summary>
public static class InstrumentRules
{
    public const int SymbolMaxLength = MarketData.Quote.SymbolMaxLength;
    public const int NameMaxLength = 100;
    public const int CurrencyLength = 3;
    public const int HaltReasonMaxLength = 500;
}
