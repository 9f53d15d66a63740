using System.Globalization;

namespace EventStore.Bench.Export;

/// <summary>
/// Samples another process's resident set from /proc/&lt;pid&gt;/status every 50 ms: the largest VmRSS seen, and VmHWM
/// (the kernel's own peak, since the process started).
/// </summary>
internal sealed class ProcessMemory : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<(TimeSpan At, long Rss)> _samples = [];

    public ProcessMemory(int pid)
    {
        _pid = pid;
        _sampling = Task.Run(SampleAsync);
    }

    public long PeakRssBytes { get; private set; }

    public long HighWaterMarkBytes { get; private set; }

    /// <summary>The process's CPU seconds at the last sample.</summary>
    public double CpuSeconds { get; private set; }

    public static (long Rss, long Hwm) Read(int pid)
    {
        long rss = 0, hwm = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited: keep what was seen.
        }

        return (rss * 1024, hwm * 1024);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        await _sampling;
        Sample();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        do
        {
            Sample();
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Sample()
    {
        var (rss, hwm) = Read(_pid);
        if (rss > 0)
        {
            _samples.Add((_clock.Elapsed, rss));
            CpuSeconds = Math.Max(CpuSeconds, ProcessCpu.Seconds(_pid));
        }

        PeakRssBytes = Math.Max(PeakRssBytes, rss);
        HighWaterMarkBytes = Math.Max(HighWaterMarkBytes, hwm);
    }

    /// <summary>The largest VmRSS seen in each quarter of the sampled time: flat memory shows as four similar numbers.</summary>
    public string PeakByQuarter()
    {
        if (_samples.Count == 0)
        {
            return "-";
        }

        var end = _samples[^1].At.Ticks + 1;
        var peaks = new long[4];
        foreach (var (at, rss) in _samples)
        {
            var quarter = (int)(at.Ticks * 4 / end);
            peaks[quarter] = Math.Max(peaks[quarter], rss);
        }

        return string.Join(" / ", peaks.Select(Megabytes));
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " MB";
}

/// <summary>
/// CPU time (user + system) from /proc: on a shared 2-core machine, wall-clock rates depend on what else runs; the CPU
/// seconds each process spends per event do not, and show where the time goes (app, PostgreSQL, client).
/// </summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    public static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 0; utime and stime are fields 11 and 12.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>All processes whose parent is <paramref name="parent"/>, plus the parent: a PostgreSQL server and its backends.</summary>
    public static double TreeSeconds(int parent)
    {
        var total = Seconds(parent);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ParentOf(pid) == parent)
            {
                total += Seconds(pid);
            }
        }

        return total;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
