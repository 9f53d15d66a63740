using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Trading.Instruments;

/// <summary>Admin: change a listed instrument's name, tick size or lot size. The id is TradingIds.Instrument(symbol).</summary>
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

public static class UpdateInstrumentHandler
{
    public static async Task Handle(UpdateInstrument command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Instrument>(command.InstrumentId, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, clock.GetUtcNow()));
    }

    /// <summary>Nothing when nothing changes.</summary>
    public static IReadOnlyList<object> Decide(Instrument? instrument, UpdateInstrument command, DateTimeOffset now)
    {
        var listed = InstrumentRules.MustBeListed(instrument);
        return command.Name != listed.Name || command.TickSize != listed.TickSize || command.LotSize != listed.LotSize
            ? [new InstrumentUpdated(listed.Id, command.Name.Trim(), command.TickSize, command.LotSize, now)]
            : [];
    }
}
