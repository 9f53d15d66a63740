using System.Net;
using EventStore.Domain.Assistant;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using static EventStore.IntegrationTests.Assistant.ChatCompletionsStub;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>The whole app with the OpenAI-compatible provider against WireMock.Net: what is sent, what is recorded, how failures end.</summary>
[Collection(HttpAssistantCollection.Name)]
public sealed class HttpAssistantTests(HttpAssistantFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task wiremock_an_answer_is_recorded_with_model_tokens_latency_and_cost_and_the_request_carries_only_the_askers_data()
    {
        var (alice, aliceToken) = await _client.RegisterAndLogInAsync("alice-http");
        var (_, bobToken) = await _client.RegisterAndLogInAsync("bob-http");
        await _client.DepositAsync(aliceToken, 1_234.56m);
        await _client.DepositAsync(bobToken, 6_543.21m);
        await app.WaitForProjectionsAsync();
        app.Stub.Answer(Completion("You hold 1234.56 in cash.", promptTokens: 1000, completionTokens: 200));

        var interaction = (await _client.AskAsync(aliceToken, "What is my cash balance?")).Ok("askAssistant")["interaction"]!;

        Assert.Equal("ANSWERED", interaction.Str("status"));
        Assert.Equal("You hold 1234.56 in cash.", interaction.Str("response"));
        Assert.Equal("openai", interaction.Str("provider"));
        Assert.Equal("gpt-test-2026", interaction.Str("model")); // the model the server says answered
        Assert.False(interaction["offline"]!.GetValue<bool>());
        Assert.Equal(AssistantRules.Disclaimer, interaction.Str("disclaimer"));
        var sent = Assert.Single(app.Stub.Bodies).ToJsonString();
        Assert.Contains("\"model\":\"gpt-test\"", sent, StringComparison.Ordinal); // the configured model
        Assert.Contains("1234.56", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("6543.21", sent, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.ToString(), sent, StringComparison.OrdinalIgnoreCase);
        var response = Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<AssistantResponseReceived>());
        Assert.Equal(("openai", "gpt-test-2026", 1000, 200, "stop"),
            (response.Provider, response.Model, response.TokensIn, response.TokensOut, response.FinishReason));
        Assert.Equal(0.80m, response.Cost); // 1000 × 0.50 / 1000 + 200 × 1.50 / 1000, from the configured price table
        Assert.True(response.LatencyMs >= 0);
        Assert.Equal("You hold 1234.56 in cash.", await app.OpenAsync(response.Text));
    }

    [Fact]
    public async Task wiremock_an_answer_holding_a_nul_and_a_noncharacter_is_recorded_scrubbed_and_the_projections_go_on()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("scrubbed");
        app.Stub.Answer(Completion("Cash:\u0000 1234\uFFFF.\nDone."));

        var interaction = (await _client.AskAsync(token, "What is my cash?")).Ok("askAssistant")["interaction"]!;

        // Refusing the provider's text would leave the interaction without an outcome: it is scrubbed instead.
        Assert.Equal("ANSWERED", interaction.Str("status"));
        Assert.Equal("Cash:\uFFFD 1234\uFFFD.\nDone.", interaction.Str("response"));
        await app.WaitForProjectionsAsync();
        var mine = (await _client.SendAsync("{ conversations { interactions { response } } }", token: token)).Ok("conversations");
        Assert.Equal("Cash:\uFFFD 1234\uFFFD.\nDone.", mine[0]!["interactions"]![0]!.Str("response"));
    }

    [Fact]
    public async Task wiremock_500s_after_the_retry_give_the_unavailable_answer_and_a_failure_event()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("unlucky");
        app.Stub.Answer(Status(HttpStatusCode.InternalServerError));

        var interaction = (await _client.AskAsync(token, "hello?")).Ok("askAssistant")["interaction"]!;

        Assert.Equal("FAILED", interaction.Str("status"));
        Assert.Equal(AssistantRules.UnavailableAnswer, interaction.Str("response"));
        Assert.Equal("error", interaction.Str("finishReason"));
        Assert.Equal(2, app.Stub.Requests);
        var failed = Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<AssistantRequestFailed>());
        Assert.Equal(("openai", HttpAssistantFixture.Model, "http_500", 2), (failed.Provider, failed.Model, failed.ErrorClass, failed.Attempts));
    }

    [Fact]
    public async Task wiremock_a_provider_that_never_answers_times_out_into_the_unavailable_answer_and_a_failure_event()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("patient");
        app.Stub.Hang();

        var interaction = (await _client.AskAsync(token, "are you there?")).Ok("askAssistant")["interaction"]!;

        Assert.Equal(AssistantRules.UnavailableAnswer, interaction.Str("response"));
        Assert.Equal("timeout", interaction.Str("errorClass"));
        var failed = Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<AssistantRequestFailed>());
        Assert.Equal(("timeout", 2), (failed.ErrorClass, failed.Attempts));
    }

    [Fact]
    public async Task wiremock_with_the_circuit_open_the_provider_is_not_called_and_the_failure_is_recorded()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("breaker");
        app.Stub.Answer(Status(HttpStatusCode.ServiceUnavailable));
        (await _client.AskAsync(token, "first")).Ok("askAssistant"); // two failed attempts open the circuit
        var calls = app.Stub.Requests;

        var interaction = (await _client.AskAsync(token, "second")).Ok("askAssistant")["interaction"]!;

        Assert.Equal(AssistantRules.UnavailableAnswer, interaction.Str("response"));
        Assert.Equal(calls, app.Stub.Requests);
        var failures = (await app.AllEventsAsync()).Select(e => e.Data).OfType<AssistantRequestFailed>().ToList();
        Assert.Equal([("http_503", 2), ("circuit_open", 0)], failures.Select(f => (f.ErrorClass, f.Attempts)));
    }

    [Fact]
    public async Task wiremock_when_the_provider_fails_a_mention_still_posts_and_the_assistant_says_it_is_unavailable()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("room-http");
        var room = await _client.CreateRoomAsync(token, "Ops");
        app.Stub.Answer(Status(HttpStatusCode.BadGateway));

        var posted = await app.AndWaitForCascadesAsync(() => _client.PostAsync(token, room, "@assistant what is AAPL at?"));
        await app.WaitForProjectionsAsync();

        posted.Ok("postMessage");
        var nodes = await _client.MessageNodesAsync(token, room);
        Assert.Equal(["assistant", "room-http"], nodes.Select(n => n!.Str("author")));
        Assert.Equal(AssistantRules.UnavailableAnswer, nodes[0]!.Str("text"));
        Assert.Single((await app.AllEventsAsync()).Select(e => e.Data).OfType<AssistantRequestFailed>(), f => f.ErrorClass == "http_502");
    }
}
