using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.MarketData;

/// <summary>
/// A clock that moves only when a test says so. Polly's delays and timeouts and the pump's timer run on
/// <see cref="TimeProvider"/> timers, so a test sees what wait was asked for and skips it instead of sleeping. Arming,
/// re-arming or disposing a timer is announced (<see cref="TimersChanged"/>), so a test waits for the code under test to
/// ask for a wait rather than looking on a timer of its own.
/// </summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly Signal _timersChanged = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Completes when a timer is next armed, re-armed or disposed (take it before looking at <see cref="Pending"/>).</summary>
    public Task TimersChanged => _timersChanged.Next;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How long from now each armed timer is due.</summary>
    public IReadOnlyList<TimeSpan> Pending()
    {
        lock (_gate)
        {
            return _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt!.Value - _now).ToList();
        }
    }

    /// <summary>Moves the clock, firing every timer that falls due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (due is null)
                {
                    _now = target;
                    break;
                }

                _now = due.DueAt!.Value;
                due.DueAt = due.Period > TimeSpan.Zero ? _now + due.Period : null;
            }

            due.Fire();
        }

        _timersChanged.Raise();
    }

    /// <summary>Waits (bounded, in real time) until a timer matching <paramref name="match"/> is armed; returns its wait.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        TimeSpan? wait = null;
        await _timersChanged.WaitUntilAsync(() => (wait = Pending().Where(match).Select(d => (TimeSpan?)d).FirstOrDefault()) is not null,
            TimeSpan.FromSeconds(10), () => $"No matching timer was armed; pending: [{string.Join(", ", Pending())}]");
        return wait!.Value;
    }

    private sealed class ManualTimer(ManualTime owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                owner._timers.Add(this);
            }

            owner._timersChanged.Raise();
            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }

            owner._timersChanged.Raise();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
