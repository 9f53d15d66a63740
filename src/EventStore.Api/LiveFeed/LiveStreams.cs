using System.Runtime.CompilerServices;

namespace EventStore.Api.LiveFeed;

/// <summary>
/// Replay, then live, with nothing lost and nothing twice: subscribe to the feed first (its start position is fixed at
/// that instant), replay history from the store for (after, start], then pass on live events, all above start.
/// </summary>
public sealed class LiveStreams(EventFeed feed, EventLog log)
{
    public const int BufferCapacity = 1_000;

    /// <param name="after">Replay from this sequence; null: live only, from now.</param>
    /// <param name="pace">The replay waits on it before each event, so it never outruns the client.</param>
    public async IAsyncEnumerable<StoredEvent> StreamAsync(
        EventLogFilter filter, Func<StoredEvent, bool> matches, long? after, DeliveryPace pace, [EnumeratorCancellation] CancellationToken ct)
    {
        using var live = await feed.SubscribeAsync(matches, BufferCapacity, ct);
        var last = after ?? live.StartPosition;
        while (last < live.StartPosition)
        {
            var page = await log.PageAsync(filter, last, 500, ct, live.StartPosition);
            foreach (var e in page.Where(matches))
            {
                await pace.WaitAsync(ct);
                yield return e;
            }

            last = page.Count == 500 ? page[^1].Sequence : live.StartPosition;
        }

        await foreach (var e in live.Reader.ReadAllAsync(ct))
        {
            if (e.Sequence > last)
            {
                last = e.Sequence;
                yield return e;
            }
        }
    }
}

/// <summary>Adapts an async stream to the IObservable GraphQL.NET subscriptions expect; disposing cancels the stream.</summary>
public sealed class AsyncStreamObservable<T>(Func<CancellationToken, IAsyncEnumerable<T>> source) : IObservable<T>
    where T : class
{
    public IDisposable Subscribe(IObserver<T> observer)
    {
        var cancellation = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source(cancellation.Token).WithCancellation(cancellation.Token))
                {
                    observer.OnNext(item);
                }

                observer.OnCompleted();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                observer.OnError(e);
            }
        });
        return new Subscription(cancellation);
    }

    private sealed class Subscription(CancellationTokenSource cancellation) : IDisposable
    {
        public void Dispose()
        {
            cancellation.Cancel();
            cancellation.Dispose();
        }
    }
}
