namespace EventStore.Bench.Export;

/// <summary>A progress line stamped with the seconds since the tool started (shared with the soak).</summary>
internal static class Report
{
    private static readonly DateTime Started = DateTime.UtcNow;

    public static void Line(string text) =>
        Console.WriteLine($"[{(DateTime.UtcNow - Started).TotalSeconds,7:F1} s] {text}");
}
