using System.Diagnostics;
using Npgsql;

namespace EventStore.Bench.Live;

/// <summary>
/// Polls Marten's high-water mark (the row the live feed reads up to), or another row of `mt_event_progression` (a
/// projection's progress, for the failover bench), every few milliseconds and remembers when it moved, so each
/// delivery's latency splits into commit -> high-water mark and high-water mark -> subscriber.
/// </summary>
public sealed class HighWaterProbe : IAsyncDisposable
{
    private const string Query = "select last_seq_id from eventstore.mt_event_progression where name = @name";
    private readonly List<(long Mark, DateTimeOffset At)> _moves = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;

    private HighWaterProbe(string connectionString, string row) => _polling = PollAsync(connectionString, row);

    /// <param name="row">`HighWaterMark`, or a projection shard such as `CashAccountView:All`.</param>
    public static HighWaterProbe Start(string connectionString, string row = "HighWaterMark") => new(connectionString, row);

    /// <summary>When the mark first reached <paramref name="sequence"/>, or null if it did not while probing.</summary>
    public DateTimeOffset? ReachedAt(long sequence)
    {
        lock (_moves)
        {
            foreach (var (mark, at) in _moves)
            {
                if (mark >= sequence)
                {
                    return at;
                }
            }
        }

        return null;
    }

    private async Task PollAsync(string connectionString, string row)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(_stop.Token);
        await using var command = new NpgsqlCommand(Query, connection);
        command.Parameters.AddWithValue("name", row);
        var last = -1L;
        var pace = Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested)
        {
            var mark = await command.ExecuteScalarAsync(_stop.Token) is long value ? value : 0;
            if (mark != last)
            {
                lock (_moves)
                {
                    _moves.Add((mark, DateTimeOffset.UtcNow));
                }

                last = mark;
            }

            var wait = TimeSpan.FromMilliseconds(5) - pace.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _stop.Token);
            }

            pace.Restart();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _polling;
        }
        catch (Exception e) when (e is OperationCanceledException || e.InnerException is OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
