namespace EventStore.Bench.Live;

/// <summary>p50, p99 and max of a list of samples (milliseconds), shared by the live-latency and failover benches.</summary>
public sealed record Percentiles(double P50, double P99, double Max)
{
    public static Percentiles Of(List<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN);
        }

        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return new Percentiles(At(0.50), At(0.99), samples[^1]);
    }
}
