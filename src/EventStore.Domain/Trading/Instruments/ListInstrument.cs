using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

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
    /// <summary>
    /// A listed symbol is a conflict, found before anything is appended. Two listings of one symbol at once collide on the
    /// stream id at commit; the loser is retried (EventStoreSetup) and ends here.
    /// </summary>
    public static async Task Handle(ListInstrument command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = TradingIds.Instrument(command.Symbol);
        var listed = Decide(await session.Events.FetchStreamStateAsync(id, ct) is not null, command, clock.GetUtcNow());
        session.Events.StartStream<Instrument>(id, listed);
    }

    public static InstrumentListed Decide(bool alreadyListed, ListInstrument command, DateTimeOffset now)
    {
        if (alreadyListed)
        {
            throw new ConflictException($"{command.Symbol} is already listed.");
        }

        return new InstrumentListed(TradingIds.Instrument(command.Symbol), command.Symbol, command.Name.Trim(), command.Currency,
            command.TickSize, command.LotSize, command.ReferencePrice, now);
    }
}
