using System.Threading.Channels;

namespace EventStore.Api.LiveFeed;

/// <summary>
/// This node's live view of the event store: it tails `mt_events` by global sequence, only ever up to Marten's
/// high-water mark, and fans each event out to the in-process subscribers. Because it reads only below the high-water
/// mark, an event whose transaction commits after a higher sequence was already visible is still delivered, once and in
/// order (docs/api.md, "Live updates"). Every node runs its own feed, so a command handled anywhere reaches subscribers
/// everywhere.
/// </summary>
public sealed class EventFeed(EventLog log, IConfiguration configuration, ILogger<EventFeed> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly EventLogFilter Everything = new(null, null, null, null, null, null, null);
    private readonly Lock _gate = new();
    private readonly List<FeedSubscription> _subscribers = [];
    private long _position = -1;
    private long _pagesRead;

    /// <summary>The last sequence delivered to subscribers (everything at or below it is history).</summary>
    public long Position
    {
        get
        {
            lock (_gate)
            {
                return _position;
            }
        }
    }

    /// <summary>Pages of events read from the log since start (tests and diagnostics): none while nobody listens here.</summary>
    public long PagesRead => Interlocked.Read(ref _pagesRead);

    /// <summary>Subscribers registered on this node now (tests and diagnostics).</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Registers a subscriber; it receives every event after <see cref="FeedSubscription.StartPosition"/>.</summary>
    public async Task<FeedSubscription> SubscribeAsync(Func<StoredEvent, bool> filter, int capacity, CancellationToken ct)
    {
        await WaitUntilPositionedAsync(ct);
        lock (_gate)
        {
            var subscription = new FeedSubscription(this, filter, capacity, _position);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    internal void Remove(FeedSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("LiveFeed:PollInterval", TimeSpan.FromMilliseconds(100));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_position < 0)
                {
                    // A new node starts live at the current high-water mark; history is served by replay on demand.
                    var start = await log.HighWaterMarkAsync(stoppingToken);
                    lock (_gate)
                    {
                        _position = start;
                    }
                }

                while (await PumpAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Live feed poll failed; retrying");
            }

            await Task.Delay(interval, stoppingToken);
        }
    }

    private async Task<int> PumpAsync(CancellationToken ct)
    {
        var highWaterMark = await log.HighWaterMarkAsync(ct);
        if (highWaterMark < Position)
        {
            // The store went backwards: only a wiped database (tests, a fresh environment) does that. Follow it.
            lock (_gate)
            {
                _position = highWaterMark;
            }
        }

        lock (_gate)
        {
            if (highWaterMark <= _position)
            {
                return 0;
            }

            if (_subscribers.Count == 0)
            {
                // Nobody on this node listens: there is nothing to fan out, so nothing is read. A subscriber that joins
                // later starts here (SubscribeAsync) and reads what came before from the log, as it would anyway.
                _position = highWaterMark;
                return 0;
            }
        }

        var batch = await log.PageAsync(Everything, Position, BatchSize, ct, highWaterMark);
        Interlocked.Increment(ref _pagesRead);
        FeedSubscription[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
            // Tombstones and gaps are skipped by the query; the position moves to the last row read, or to the mark.
            _position = batch.Count == BatchSize ? batch[^1].Sequence : highWaterMark;
        }

        foreach (var e in batch)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Offer(e);
            }
        }

        return batch.Count;
    }

    private async Task WaitUntilPositionedAsync(CancellationToken ct)
    {
        while (Position < 0)
        {
            await Task.Delay(20, ct);
        }
    }
}

/// <summary>One subscriber's bounded buffer. A subscriber that falls too far behind is cut off, never the feed.</summary>
public sealed class FeedSubscription : IDisposable
{
    private readonly EventFeed _feed;
    private readonly Func<StoredEvent, bool> _filter;
    private readonly Channel<StoredEvent> _channel;

    internal FeedSubscription(EventFeed feed, Func<StoredEvent, bool> filter, int capacity, long startPosition)
    {
        _feed = feed;
        _filter = filter;
        StartPosition = startPosition;
        _channel = Channel.CreateBounded<StoredEvent>(new BoundedChannelOptions(capacity) { SingleReader = true });
    }

    public long StartPosition { get; }

    public ChannelReader<StoredEvent> Reader => _channel.Reader;

    internal void Offer(StoredEvent e)
    {
        if (_filter(e) && !_channel.Writer.TryWrite(e))
        {
            _channel.Writer.TryComplete(new SubscriberTooSlowException(e.Sequence));
            _feed.Remove(this);
        }
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _feed.Remove(this);
    }
}

/// <summary>The subscriber's buffer overflowed: it must resubscribe with `after` = the last sequence it processed.</summary>
public sealed class SubscriberTooSlowException(long sequence)
    : Exception($"The subscriber fell too far behind at sequence {sequence}; resubscribe with the last cursor received.");
