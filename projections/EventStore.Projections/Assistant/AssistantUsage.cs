using System.Globalization;
using EventStore.Domain.Assistant;
using Marten.Events.Projections;

namespace EventStore.Projections.Assistant;

/// <summary>
/// AI usage of one day (UTC) and one model: per user (<see cref="UserAssistantUsage"/>) and across users
/// (<see cref="ModelAssistantUsage"/>). Latency percentiles are nearest-rank over the day's latencies, kept sorted in
/// the row (a day of one model's requests is small enough for that here; a histogram would replace it at scale).
/// </summary>
public abstract class AssistantUsage
{
    public string Id { get; set; } = "";
    public string Model { get; set; } = "";

    /// <summary>yyyy-MM-dd, UTC.</summary>
    public string Day { get; set; } = "";

    public int Requests { get; set; }
    public int Answered { get; set; }
    public int Failed { get; set; }
    public long TokensIn { get; set; }
    public long TokensOut { get; set; }
    public decimal Cost { get; set; }
    public List<long> LatenciesMs { get; set; } = [];
    public long LatencyP50Ms { get; set; }
    public long LatencyP95Ms { get; set; }
    public long LatencyP99Ms { get; set; }

    public static string DayOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Add(AssistantResponseReceived e)
    {
        Count(e.Model, e.ReceivedAt, e.LatencyMs);
        Answered++;
        TokensIn += e.TokensIn;
        TokensOut += e.TokensOut;
        Cost += e.Cost;
    }

    public void Add(AssistantRequestFailed e)
    {
        Count(e.Model, e.FailedAt, e.LatencyMs);
        Failed++;
    }

    private void Count(string model, DateTimeOffset at, long latencyMs)
    {
        Model = model;
        Day = DayOf(at);
        Requests++;
        var index = LatenciesMs.BinarySearch(latencyMs);
        LatenciesMs.Insert(index < 0 ? ~index : index, latencyMs);
        LatencyP50Ms = Percentile(0.50);
        LatencyP95Ms = Percentile(0.95);
        LatencyP99Ms = Percentile(0.99);
    }

    private long Percentile(double p) =>
        LatenciesMs[Math.Clamp((int)Math.Ceiling(p * LatenciesMs.Count) - 1, 0, LatenciesMs.Count - 1)];
}

public sealed class UserAssistantUsage : AssistantUsage
{
    public Guid UserId { get; set; }

    public static string IdOf(Guid userId, string model, DateTimeOffset at) => $"{userId:N}:{model}:{DayOf(at)}";
}

public sealed class ModelAssistantUsage : AssistantUsage
{
    public static string IdOf(string model, DateTimeOffset at) => $"{model}:{DayOf(at)}";
}

public sealed class UserAssistantUsageProjection : MultiStreamProjection<UserAssistantUsage, string>
{
    public UserAssistantUsageProjection()
    {
        Identity<AssistantResponseReceived>(e => UserAssistantUsage.IdOf(e.UserId, e.Model, e.ReceivedAt));
        Identity<AssistantRequestFailed>(e => UserAssistantUsage.IdOf(e.UserId, e.Model, e.FailedAt));
    }

    public static void Apply(AssistantResponseReceived e, UserAssistantUsage view)
    {
        view.UserId = e.UserId;
        view.Add(e);
    }

    public static void Apply(AssistantRequestFailed e, UserAssistantUsage view)
    {
        view.UserId = e.UserId;
        view.Add(e);
    }
}

public sealed class ModelAssistantUsageProjection : MultiStreamProjection<ModelAssistantUsage, string>
{
    public ModelAssistantUsageProjection()
    {
        Identity<AssistantResponseReceived>(e => ModelAssistantUsage.IdOf(e.Model, e.ReceivedAt));
        Identity<AssistantRequestFailed>(e => ModelAssistantUsage.IdOf(e.Model, e.FailedAt));
    }

    public static void Apply(AssistantResponseReceived e, ModelAssistantUsage view) => view.Add(e);

    public static void Apply(AssistantRequestFailed e, ModelAssistantUsage view) => view.Add(e);
}
