using System.Net;
using EventStore.Api.Assistant;
using EventStore.Api.Resilience;
using EventStore.IntegrationTests.MarketData;
using Microsoft.Extensions.Options;
using static EventStore.IntegrationTests.Assistant.ChatCompletionsStub;

namespace EventStore.IntegrationTests.Assistant;

// The OpenAI-compatible provider against WireMock.Net emulating the chat-completions API on 127.0.0.1. Polly runs on a
// manual clock, so every wait the pipeline asks for is observed and skipped, never slept; no database, no app host.
public sealed class OpenAICompatibleProviderTests : IDisposable
{
    private const string ApiKey = "sk-test-S3cr3t";
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(20);
    private static readonly Guid Asker = Guid.NewGuid();
    private static readonly AssistantRequest Request = new(Asker, "How is my portfolio?",
        "You are the assistant.\n[portfolio] Your portfolio: cash 1234.00.", [], AssistantAudience.Asker(Asker));

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly List<string> _logs = [];
    private readonly Clients _clients = new();
    private readonly CancellationTokenSource _bound = new(TimeSpan.FromSeconds(15));
    private readonly ChatCompletionsStub _stub = new();

    [Fact]
    public async Task wiremock_a_normal_answer_carries_text_usage_and_finish_reason_and_the_request_the_configured_model_and_context()
    {
        _stub.Answer(Completion("Your cash is 1234.00.", promptTokens: 57, completionTokens: 9));

        var answer = await Provider().CompleteAsync(Request, _bound.Token);

        Assert.Equal(new AssistantCompletion("Your cash is 1234.00.", "gpt-test-2026", 57, 9, "stop", 1), answer);
        var body = Assert.Single(_stub.Bodies);
        Assert.Equal("gpt-configured", body["model"]!.GetValue<string>());
        Assert.Equal(400, body["max_tokens"]!.GetValue<int>());
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(Request.Context, messages[0]!["content"]!.GetValue<string>());
        Assert.Equal(Request.Prompt, messages[1]!["content"]!.GetValue<string>());
        Assert.DoesNotContain(Request.UserId.ToString(), body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Bearer " + ApiKey, Assert.Single(_stub.Authorizations));
    }

    [Fact]
    public async Task wiremock_a_429_with_retry_after_waits_that_long_then_succeeds()
    {
        _stub.Answer(Status(HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "7"), Completion("ok"));

        var (answer, waits) = await CompleteAsync(Provider().CompleteAsync(Request, _bound.Token));

        Assert.Equal([TimeSpan.FromSeconds(7)], waits);
        Assert.Equal(2, answer.Attempts);
        Assert.Equal(2, _stub.Requests);
    }

    [Fact]
    public async Task wiremock_500s_are_retried_with_backoff_and_then_unavailable_as_http_500()
    {
        _stub.Answer(Status(HttpStatusCode.InternalServerError));

        var e = await Assert.ThrowsAsync<AssistantUnavailableException>(() =>
            CompleteAsync(Provider(o => o.MinimumThroughput = 100).CompleteAsync(Request, _bound.Token)));

        Assert.Equal("http_500", e.ErrorClass);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, _stub.Requests);
    }

    [Fact]
    public async Task wiremock_a_500_then_an_answer_succeeds_on_the_retry()
    {
        _stub.Answer(Status(HttpStatusCode.InternalServerError), Status(HttpStatusCode.BadGateway), Completion("third time lucky"));

        var (answer, waits) = await CompleteAsync(Provider().CompleteAsync(Request, _bound.Token));

        Assert.Equal("third time lucky", answer.Text);
        Assert.Equal(2, waits.Count);
        Assert.Equal(3, answer.Attempts);
    }

    [Fact]
    public async Task wiremock_attempts_that_time_out_are_retried_and_then_unavailable_as_timeout()
    {
        _stub.Hang();
        var call = Provider(o => o.MaxRetries = 1).CompleteAsync(Request, _bound.Token);

        await _stub.WaitForArrivalsAsync(1);
        _time.Advance(await _time.WaitForTimerAsync(w => w == AttemptTimeout));
        _time.Advance(await _time.WaitForTimerAsync(w => w != AttemptTimeout)); // the backoff before the retry
        await _stub.WaitForArrivalsAsync(2);
        _time.Advance(await _time.WaitForTimerAsync(w => w == AttemptTimeout));
        var e = await Assert.ThrowsAsync<AssistantUnavailableException>(() => call);

        Assert.Equal("timeout", e.ErrorClass);
        Assert.Equal(2, e.Attempts);
    }

    [Fact]
    public async Task wiremock_the_circuit_opens_after_enough_failures_and_then_fails_fast_without_calling_the_server()
    {
        _stub.Answer(Status(HttpStatusCode.ServiceUnavailable));
        var provider = Provider();
        await Assert.ThrowsAsync<AssistantUnavailableException>(() => CompleteAsync(provider.CompleteAsync(Request, _bound.Token)));
        var calls = _stub.Requests;

        var e = await Assert.ThrowsAsync<AssistantUnavailableException>(() => provider.CompleteAsync(Request, _bound.Token));

        Assert.Equal("circuit_open", e.ErrorClass);
        Assert.Equal(0, e.Attempts);
        Assert.Equal(calls, _stub.Requests);
    }

    [Theory]
    [InlineData("""{"choices": []}""")]
    [InlineData("<html>gateway</html>")]
    public async Task wiremock_an_answer_that_is_not_chat_completions_json_is_unavailable_as_bad_response(string body)
    {
        _stub.Answer(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody(body));

        var e = await Assert.ThrowsAsync<AssistantUnavailableException>(() => Provider().CompleteAsync(Request, _bound.Token));

        Assert.Equal("bad_response", e.ErrorClass);
    }

    [Fact]
    public async Task wiremock_the_api_key_appears_in_no_exception_and_no_log_line()
    {
        _stub.Answer(Status(HttpStatusCode.InternalServerError));
        var provider = Provider();
        var failures = new List<Exception>
        {
            await Assert.ThrowsAsync<AssistantUnavailableException>(() => CompleteAsync(provider.CompleteAsync(Request, _bound.Token))),
            await Assert.ThrowsAsync<AssistantUnavailableException>(() => provider.CompleteAsync(Request, _bound.Token)),
        };

        Assert.NotEmpty(_logs);
        Assert.All(_logs, line => Assert.DoesNotContain(ApiKey, line, StringComparison.Ordinal));
        Assert.All(failures, e => Assert.DoesNotContain(ApiKey, e.ToString(), StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _stub.Dispose();
        _clients.Dispose();
        _bound.Dispose();
    }

    private OpenAICompatibleProvider Provider(Action<OpenAIOptions>? change = null)
    {
        var options = new OpenAIOptions
        {
            BaseUrl = _stub.BaseUrl, ApiKey = ApiKey, Model = "gpt-configured", MaxTokens = 400, AttemptTimeout = AttemptTimeout,
            MinimumThroughput = 3,
        };
        change?.Invoke(options);
        var wrapped = Options.Create(options);
        return new OpenAICompatibleProvider(_clients, ResiliencePipelines.BuildHttpDependency("Assistant provider", options, _time, new RecordingLogger<OpenAICompatibleProvider>(_logs)),
            wrapped, new RecordingLogger<OpenAICompatibleProvider>(_logs));
    }

    /// <summary>Lets <paramref name="call"/> finish, skipping every retry wait it asks for; returns those waits.</summary>
    private async Task<(AssistantCompletion Answer, List<TimeSpan> Waits)> CompleteAsync(Task<AssistantCompletion> call)
    {
        var waits = new List<TimeSpan>();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!call.IsCompleted)
        {
            var armed = _time.TimersChanged;
            if (_time.Pending().Where(w => w != AttemptTimeout).Select(w => (TimeSpan?)w).FirstOrDefault() is { } wait)
            {
                waits.Add(wait);
                _time.Advance(wait);
            }
            else
            {
                // Woken by the call's end or by a timer it arms (a retry's backoff), never by a clock of our own.
                await Task.WhenAny(call, armed).WaitAsync(bound.Token);
            }
        }

        return (await call, waits);
    }

    private sealed class Clients : IHttpClientFactory, IDisposable
    {
        private readonly HttpClient _http = new();

        public HttpClient CreateClient(string name) => _http;

        public void Dispose() => _http.Dispose();
    }
}
