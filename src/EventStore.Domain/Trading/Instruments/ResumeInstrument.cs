using Marten;

namespace EventStore.Domain.Trading.Instruments;

/// <summary>Admin: resume trading a halted instrument.</summary>
public sealed record ResumeInstrument(Guid InstrumentId);

public static class ResumeInstrumentHandler
{
    public static async Task Handle(ResumeInstrument command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Instrument>(command.InstrumentId, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, clock.GetUtcNow()));
    }

    /// <summary>Nothing when it is trading already.</summary>
    public static IReadOnlyList<object> Decide(Instrument? instrument, ResumeInstrument command, DateTimeOffset now)
    {
        var listed = InstrumentRules.MustBeListed(instrument);
        return listed.Tradable ? [] : [new InstrumentResumed(listed.Id, now)];
    }
}
