using EventStore.Domain.Validation;
using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Trading.Instruments;

// Admin commands on a listed instrument. The aggregate id is the instrument id (TradingIds.Instrument(symbol)).

public sealed record UpdateInstrument(
    Guid InstrumentId, [SingleLine(InstrumentRules.NameMaxLength)] string Name, decimal TickSize, decimal LotSize)
{
    public sealed class Validator : AbstractValidator<UpdateInstrument>
    {
        public Validator()
        {
            RuleFor(x => x.Name).NotEmpty().MaximumLength(InstrumentRules.NameMaxLength);
            RuleFor(x => x.TickSize).GreaterThan(0);
            RuleFor(x => x.LotSize).GreaterThan(0);
        }
    }
}

public sealed record HaltInstrument(Guid InstrumentId, [SingleLine(InstrumentRules.HaltReasonMaxLength)] string Reason)
{
    public sealed class Validator : AbstractValidator<HaltInstrument>
    {
        public Validator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(InstrumentRules.HaltReasonMaxLength);
    }
}

public sealed record ResumeInstrument(Guid InstrumentId);

public static class ManageInstrumentHandler
{
    public static void Before(Instrument? instrument)
    {
        if (instrument is null || instrument.Id == Guid.Empty)
        {
            throw new NotFoundException("Instrument not found.");
        }
    }

    [AggregateHandler]
    public static IEnumerable<object> Handle(UpdateInstrument command, Instrument instrument, TimeProvider clock)
    {
        if (command.Name != instrument.Name || command.TickSize != instrument.TickSize || command.LotSize != instrument.LotSize)
        {
            yield return new InstrumentUpdated(instrument.Id, command.Name.Trim(), command.TickSize, command.LotSize, clock.GetUtcNow());
        }
    }

    [AggregateHandler]
    public static IEnumerable<object> Handle(HaltInstrument command, Instrument instrument, TimeProvider clock)
    {
        if (instrument.Tradable)
        {
            yield return new InstrumentHalted(instrument.Id, command.Reason.Trim(), clock.GetUtcNow());
        }
    }

    [AggregateHandler]
    public static IEnumerable<object> Handle(ResumeInstrument command, Instrument instrument, TimeProvider clock)
    {
        if (!instrument.Tradable)
        {
            yield return new InstrumentResumed(instrument.Id, clock.GetUtcNow());
        }
    }
}
