using System.Diagnostics;
using Npgsql;

namespace EventStore.Bench.Commands;

/// <summary>
/// Reads Marten's progress rows (the high-water mark and one async projection) every few milliseconds and remembers
/// each reading, so an event's lag is (first reading at or past its sequence) - (its timestamp in mt_events). A
/// reading's time is taken when the query returned, so the lag can be over-stated by at most one sampling gap.
/// </summary>
public sealed class LagSampler : IAsyncDisposable
{
    private const string Query = "select name, last_seq_id from eventstore.mt_event_progression where name = 'HighWaterMark' or name = $1";

    private readonly List<Reading> _readings = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private readonly string _connectionString;
    private readonly string _projection;

    private LagSampler(string connectionString, string projection, TimeSpan interval)
    {
        _connectionString = connectionString;
        _projection = projection;
        _polling = PollAsync(interval);
    }

    private readonly record struct Reading(DateTimeOffset At, long HighWater, long Projection);

    public static LagSampler Start(string connectionString, string projection, TimeSpan interval) => new(connectionString, projection, interval);

    /// <summary>The highest sequence in mt_events now.</summary>
    public static async Task<long> MaxSequenceAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select coalesce(max(seq_id), 0) from eventstore.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits (bounded) until the projection has passed <paramref name="last"/>, stops sampling, then measures every
    /// event after <paramref name="first"/> up to <paramref name="last"/>.
    /// </summary>
    public async Task<LagResult> MeasureAsync(long first, long last, TimeSpan catchUpTimeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < catchUpTimeout && LastProjection() < last)
        {
            await Task.Delay(50);
        }

        await StopAsync();
        var events = new List<(long Sequence, DateTimeOffset Timestamp)>();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select seq_id, timestamp from eventstore.mt_events where seq_id > $1 and seq_id <= $2 order by seq_id", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = first });
            command.Parameters.Add(new NpgsqlParameter { Value = last });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add((reader.GetInt64(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero)));
            }
        }

        var toProjection = new List<double>();
        var toHighWater = new List<double>();
        var notReached = 0;
        foreach (var (sequence, timestamp) in events)
        {
            if (FirstAt(r => r.Projection >= sequence) is { } projected)
            {
                toProjection.Add((projected - timestamp).TotalMilliseconds);
            }
            else
            {
                notReached++;
            }

            if (FirstAt(r => r.HighWater >= sequence) is { } marked)
            {
                toHighWater.Add((marked - timestamp).TotalMilliseconds);
            }
        }

        toProjection.Sort();
        toHighWater.Sort();
        var gaps = new List<double>();
        for (var i = 1; i < _readings.Count; i++)
        {
            gaps.Add((_readings[i].At - _readings[i - 1].At).TotalMilliseconds);
        }

        gaps.Sort();
        return new LagResult(events.Count, notReached, _readings.Count,
            gaps.Count == 0 ? double.NaN : gaps.Average(), Percentiles.Of(gaps, 0.99),
            Percentiles.Of(toProjection, 0.50), Percentiles.Of(toProjection, 0.95), Percentiles.Of(toProjection, 0.99),
            toProjection.Count == 0 ? double.NaN : toProjection[^1],
            Percentiles.Of(toHighWater, 0.50), Percentiles.Of(toHighWater, 0.99));
    }

    private long LastProjection()
    {
        lock (_readings)
        {
            return _readings.Count == 0 ? 0 : _readings[^1].Projection;
        }
    }

    private DateTimeOffset? FirstAt(Func<Reading, bool> reached)
    {
        // Readings are in time order and the marks never go back: binary search would do, a scan is fast enough here.
        foreach (var reading in _readings)
        {
            if (reached(reading))
            {
                return reading.At;
            }
        }

        return null;
    }

    private async Task PollAsync(TimeSpan interval)
    {
        await Task.Yield();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(_stop.Token);
        await using var command = new NpgsqlCommand(Query, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _projection });
        await command.PrepareAsync(_stop.Token);
        var pace = Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested)
        {
            long highWater = 0, projection = 0;
            await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
            {
                while (await reader.ReadAsync(_stop.Token))
                {
                    if (reader.GetString(0) == "HighWaterMark")
                    {
                        highWater = reader.GetInt64(1);
                    }
                    else
                    {
                        projection = reader.GetInt64(1);
                    }
                }
            }

            lock (_readings)
            {
                _readings.Add(new Reading(DateTimeOffset.UtcNow, highWater, projection));
            }

            var wait = interval - pace.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _stop.Token);
            }

            pace.Restart();
        }
    }

    private async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _polling;
        }
        catch (Exception e) when (e is OperationCanceledException || e.InnerException is OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}

/// <summary>Lags in ms from an event's mt_events timestamp to the first reading past it.</summary>
public sealed record LagResult(int Events, int NotReached, int Readings, double MeanGap, double P99Gap,
    double P50, double P95, double P99, double Max, double HighWaterP50, double HighWaterP99);
