namespace EventStore.UnitTests;

/// <summary>Deciders take time as an input; this one always answers the same instant, so events are comparable.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
