namespace EventStore.Bench.Failover;

/// <summary>One trader's deposits of 1.00 through one node, one every interval, until stopped; counts the answers.</summary>
public sealed class DepositLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private int _acknowledged;
    private int _failed;

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public int Failed => Volatile.Read(ref _failed);

    public static DepositLoop Start(GraphQLHttp http, string token, TimeSpan interval)
    {
        var loop = new DepositLoop();
        loop._running = loop.RunAsync(http, token, interval);
        return loop;
    }

    private async Task RunAsync(GraphQLHttp http, string token, TimeSpan interval)
    {
        using var pace = new PeriodicTimer(interval);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await http.DepositAsync(token, 1m);
                Interlocked.Increment(ref _acknowledged);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref _failed);
            }

            try
            {
                await pace.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
