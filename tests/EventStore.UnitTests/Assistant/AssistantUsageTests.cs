using EventStore.Domain.Assistant;
using EventStore.Projections.Assistant;

namespace EventStore.UnitTests.Assistant;

public sealed class AssistantUsageTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 24, 23, 59, 0, TimeSpan.Zero);

    private static AssistantResponseReceived Answer(long latency, int tokensIn = 10, int tokensOut = 5, decimal cost = 0.01m) =>
        new(Guid.NewGuid(), Guid.Empty, null, null, "openai", "gpt-x", tokensIn, tokensOut, latency, cost, "stop", PersonalDataFixture.Seal(Guid.Empty, "x"), false, false, Day);

    [Fact]
    public void a_days_usage_sums_tokens_and_cost_and_counts_failures()
    {
        var usage = new ModelAssistantUsage();
        ModelAssistantUsageProjection.Apply(Answer(100), usage);
        ModelAssistantUsageProjection.Apply(Answer(300, 20, 10, 0.02m), usage);
        ModelAssistantUsageProjection.Apply(new AssistantRequestFailed(Guid.NewGuid(), Guid.Empty, null, null, "openai", "gpt-x", "timeout", 2, 900, Day), usage);

        Assert.Equal(("gpt-x", "2026-11-24", 3, 2, 1), (usage.Model, usage.Day, usage.Requests, usage.Answered, usage.Failed));
        Assert.Equal((30L, 15L, 0.03m), (usage.TokensIn, usage.TokensOut, usage.Cost));
    }

    [Fact]
    public void latency_percentiles_are_nearest_rank_over_the_days_latencies()
    {
        var usage = new UserAssistantUsage();
        foreach (var latency in Enumerable.Range(1, 100).Reverse())
        {
            UserAssistantUsageProjection.Apply(Answer(latency * 10), usage);
        }

        Assert.Equal((500L, 950L, 990L), (usage.LatencyP50Ms, usage.LatencyP95Ms, usage.LatencyP99Ms));
    }

    [Fact]
    public void usage_rows_are_keyed_by_user_model_and_utc_day() =>
        Assert.Equal("00000000000000000000000000000000:gpt-x:2026-11-24",
            UserAssistantUsage.IdOf(Guid.Empty, "gpt-x", new DateTimeOffset(2026, 11, 25, 0, 30, 0, TimeSpan.FromHours(1))));
}
