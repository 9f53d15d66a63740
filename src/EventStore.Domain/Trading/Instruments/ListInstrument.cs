using EventStore.Domain.Validation;
using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Trading.Instruments;

/// <summary>Admin: list a new instrument. Its stream id derives from the symbol, so a symbol is listed at most once.</summary>
public sealed record ListInstrument(
    [SingleLine(InstrumentRules.SymbolMaxLength)] string Symbol,
    [SingleLine(InstrumentRules.NameMaxLength)] string Name,
    [SingleLine(InstrumentRules.CurrencyLength)] string Currency,
    decimal TickSize,
    decimal LotSize,
    decimal ReferencePrice)
{
    public sealed class Validator : AbstractValidator<ListInstrument>
    {
        public Validator()
        {
            RuleFor(x => x.Symbol).Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(InstrumentRules.SymbolMaxLength).Matches("^[A-Z0-9][A-Z0-9.\\-]*$")
                .WithMessage("'Symbol' must be upper-case letters, digits, '.' or '-'.");
            RuleFor(x => x.Name).NotEmpty().MaximumLength(InstrumentRules.NameMaxLength);
            RuleFor(x => x.Currency).Cascade(CascadeMode.Stop).NotEmpty().Length(InstrumentRules.CurrencyLength).Matches("^[A-Z]{3}$");
            RuleFor(x => x.TickSize).GreaterThan(0);
            RuleFor(x => x.LotSize).GreaterThan(0);
            RuleFor(x => x.ReferencePrice).GreaterThan(0);
            RuleFor(x => x.ReferencePrice).Must((c, price) => c.TickSize <= 0 || Money.IsMultipleOf(price, c.TickSize))
                .WithMessage("'Reference Price' must be a multiple of the tick size.");
        }
    }
}

public static class ListInstrumentHandler
{
    public static IStartStream Handle(ListInstrument command, TimeProvider clock)
    {
        var id = TradingIds.Instrument(command.Symbol);
        return MartenOps.StartStream<Instrument>(id, new InstrumentListed(id, command.Symbol, command.Name.Trim(),
            command.Currency, command.TickSize, command.LotSize, command.ReferencePrice, clock.GetUtcNow()));
    }
}
