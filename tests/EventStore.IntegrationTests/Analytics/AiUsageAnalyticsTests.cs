using System.Net;
using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using WireMock.ResponseBuilders;
using static EventStore.IntegrationTests.Assistant.ChatCompletionsStub;

namespace EventStore.IntegrationTests.Analytics;

/// <summary>
/// AI usage analytics with the OpenAI-compatible provider against WireMock.Net (the vendor boundary, not our code):
/// the stub fixes each answer's model and tokens, so the test knows requests, tokens and cost per model in advance;
/// latencies are whatever the run measured, read back from the log, and the percentiles are computed here from them.
/// </summary>
[Collection(HttpAssistantCollection.Name)]
public sealed class AiUsageAnalyticsTests(HttpAssistantFixture app) : IAsyncLifetime
{
    private const string Priced = "gpt-test-2026"; // 0.50 in / 1.50 out per 1,000 tokens (HttpAssistantFixture)
    private const string Unpriced = "gpt-mini-2026";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static IResponseBuilder Answer(string model, int tokensIn, int tokensOut, int delayMs) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(CompletionBody("Noted.", tokensIn, tokensOut, model: model)).WithDelay(TimeSpan.FromMilliseconds(delayMs));

    [Fact]
    public async Task wiremock_usage_per_model_and_day_matches_the_scripted_answers_and_failure()
    {
        // In call order (ChatAiAnalyticsScenario): ben's and cat's @assistant, then ann, ann, ben in conversations;
        // then cat asks once more and gets two 500s (the first attempt and its retry): one failed request.
        (string Model, int In, int Out)[] answers = [(Priced, 1000, 200), (Priced, 400, 100), (Unpriced, 300, 50), (Priced, 1200, 300), (Priced, 600, 60)];
        int[] delays = [5, 40, 20, 80, 10];
        app.Stub.Answer([.. answers.Select((a, i) => Answer(a.Model, a.In, a.Out, delays[i]))]);
        var script = await ChatAiAnalyticsScenario.RunAsync(app, _client);
        Assert.Equal(ChatAiAnalyticsScenario.ProviderCalls, app.Stub.Requests);
        app.Stub.Reset(); // a fresh script: the first step of the last one would answer again
        app.Stub.Answer(Status(HttpStatusCode.InternalServerError));
        (await _client.AskAsync(script.Users[2].Token, "one more thing")).Ok("askAssistant");
        Assert.Equal(2, app.Stub.Requests);
        var (_, analyst) = await _client.RegisterWithRoleAsync("ai.analyst", "ANALYST");
        await app.WaitForProjectionsAsync();

        var log = await app.AllEventsAsync();
        var expected = ChatAiAnalyticsScenario.ExpectedAiRows(log);
        // What the script fixed, independently of the log: requests, users, tokens and the price-table cost per model.
        var priced = answers.Where(a => a.Model == Priced).ToList();
        var cost = priced.Sum(a => (a.In * 0.50m + a.Out * 1.50m) / 1000m);
        Assert.Equal(2.59m, cost);
        Assert.Equal(3, expected.Count);
        Assert.StartsWith($"{Priced} requests=4 failures=0 users=3 in={priced.Sum(a => a.In)} out={priced.Sum(a => a.Out)} "
            + $"cost={AnalyticsScenario.N(cost)} p50=", Row(expected, Priced), StringComparison.Ordinal);
        Assert.StartsWith($"{Unpriced} requests=1 failures=0 users=1 in=300 out=50 cost=0 p50=", Row(expected, Unpriced), StringComparison.Ordinal);
        Assert.StartsWith($"{HttpAssistantFixture.Model} requests=1 failures=1 users=1 in=0 out=0 cost=0 p50=",
            Row(expected, HttpAssistantFixture.Model), StringComparison.Ordinal);

        var tables = await ChatAiAnalyticsScenario.TableRowsAsync(app);
        Assert.Equal(expected, tables.Ai);
        Assert.Equal(ChatAiAnalyticsScenario.ExpectedChatRows(log), tables.Chat);
        Assert.Equal(["gpt-test conversation failed http_500 -"],
            await app.ScalarListAsync("select concat_ws(' ', model, channel, 'failed', error_class, coalesce(finish_reason, '-')) from analytics.ai_requests where failed"));

        var day = DateOnly.Parse(expected[0][..10], System.Globalization.CultureInfo.InvariantCulture);
        var graphql = await ChatAiAnalyticsScenario.GraphQLRowsAsync(_client, analyst, day.AddDays(-1), day.AddDays(1));
        Assert.Equal(expected, graphql.Ai);
        var onlyPriced = (await _client.SendAsync("query($d: DateOnly!) { analytics { aiUsage(from: $d, to: $d, model: \"gpt-test-2026\") { model requests } } }",
            new { d = expected[0][..10] }, analyst)).Ok("analytics")["aiUsage"]!.AsArray();
        Assert.Equal([$"{Priced} 4"], onlyPriced.Select(r => r!).Select(r => $"{r.Str("model")} {r["requests"]}"));
    }

    /// <summary>The row of a model, without its leading day.</summary>
    private static string Row(IEnumerable<string> rows, string model) => rows.Select(r => r[11..]).Single(r => r.StartsWith(model + " ", StringComparison.Ordinal));
}
