namespace EventStore.Domain.Trading.Instruments;

public sealed record InstrumentListed(
    Guid InstrumentId, string Symbol, string Name, string Currency, decimal TickSize, decimal LotSize,
    decimal ReferencePrice, DateTimeOffset ListedAt);

public sealed record InstrumentUpdated(Guid InstrumentId, string Name, decimal TickSize, decimal LotSize, DateTimeOffset UpdatedAt);

public sealed record InstrumentHalted(Guid InstrumentId, string Reason, DateTimeOffset HaltedAt);

public sealed record InstrumentResumed(Guid InstrumentId, DateTimeOffset ResumedAt);
