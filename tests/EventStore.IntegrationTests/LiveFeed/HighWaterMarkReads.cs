using System.Diagnostics;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.LiveFeed;

/// <summary>
/// Counts the live feed's reads of Marten's high-water mark in one database (its query,
/// <c>select last_seq_id from … mt_event_progression where name = 'HighWaterMark'</c>, which starts each of its polls),
/// as Npgsql's own ActivitySource reports them: each read starts a poll, so n more reads mean n more polls.
/// </summary>
internal sealed class HighWaterMarkReads : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly Signal _read = new();
    private int _count;

    public HighWaterMarkReads(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                var text = (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement"))?.ToString() ?? "";
                if (Equals(a.GetTagItem("db.namespace") ?? a.GetTagItem("db.name"), database)
                    && text.StartsWith("select last_seq_id from ", StringComparison.Ordinal)
                    && text.Contains("mt_event_progression", StringComparison.Ordinal)
                    && text.Contains("HighWaterMark", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _count);
                    _read.Raise();
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => Volatile.Read(ref _count);

    public Task WaitForAsync(int count) => WaitUntilAsync(() => Count >= count,
        () => $"The live feed read the high-water mark {Count} times, not {count}: is it running, and is its query still the one matched here?");

    /// <summary>Waits until <paramref name="condition"/> holds, checked again at each poll of the feed.</summary>
    public Task WaitUntilAsync(Func<bool> condition, Func<string> failure) =>
        _read.WaitUntilAsync(condition, TimeSpan.FromSeconds(30), failure);

    public void Dispose() => _listener.Dispose();
}
