namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>
/// A fact that its producer announces (a request arrived, a timer was armed, a row was committed). A waiter re-checks
/// its condition each time the fact is announced, and gives up after a timeout: it never re-checks on a timer, so a
/// test waits exactly as long as the work takes.
/// </summary>
public sealed class Signal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>
    /// Completes at the next <see cref="Raise"/>. Take it before checking a condition, so that a raise between the
    /// check and the wait is not lost.
    /// </summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Raise() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>Until <paramref name="condition"/> holds; a <see cref="TimeoutException"/> with <paramref name="failure"/> otherwise.</summary>
    public Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, failure);

    /// <summary>Until <paramref name="condition"/> holds; a <see cref="TimeoutException"/> with <paramref name="failure"/> otherwise.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        if (!await TryWaitUntilAsync(condition, timeout))
        {
            throw new TimeoutException(failure());
        }
    }

    /// <summary>Until <paramref name="condition"/> holds (true) or <paramref name="timeout"/> has passed (false).</summary>
    public async Task<bool> TryWaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = Next;
            if (await condition())
            {
                return true;
            }

            try
            {
                await next.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                return await condition();
            }
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
