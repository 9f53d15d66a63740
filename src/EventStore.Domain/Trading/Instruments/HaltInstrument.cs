using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Trading.Instruments;

/// <summary>Admin: stop trading an instrument; new orders are rejected, resting orders stop executing.</summary>
public sealed record HaltInstrument(Guid InstrumentId, [SingleLine(InstrumentRules.HaltReasonMaxLength)] string Reason)
{
    public sealed class Validator : AbstractValidator<HaltInstrument>
    {
        public Validator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(InstrumentRules.HaltReasonMaxLength);
    }
}

public static class HaltInstrumentHandler
{
    public static async Task Handle(HaltInstrument command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Instrument>(command.InstrumentId, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, clock.GetUtcNow()));
    }

    /// <summary>Nothing when it is halted already.</summary>
    public static IReadOnlyList<object> Decide(Instrument? instrument, HaltInstrument command, DateTimeOffset now)
    {
        var listed = InstrumentRules.MustBeListed(instrument);
        return listed.Tradable ? [new InstrumentHalted(listed.Id, command.Reason.Trim(), now)] : [];
    }
}
