using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>
/// WireMock.Net emulating an OpenAI-compatible chat-completions API (<c>POST /v1/chat/completions</c>) on 127.0.0.1:
/// it answers what each test scripts and keeps every request it was sent, so tests can read the model and messages.
/// </summary>
public sealed class ChatCompletionsStub : IDisposable
{
    public const string Path = "/v1/chat/completions";

    private readonly WireMockServer _server;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Signal _arrived = new();
    private int _arrivals;

    public ChatCompletionsStub()
    {
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] });
        BaseUrl = $"http://127.0.0.1:{_server.Port}/v1";
    }

    /// <summary>What <c>Assistant:OpenAI:BaseUrl</c> is set to.</summary>
    public string BaseUrl { get; }

    public int Requests => _server.LogEntries.Count;

    public int Arrivals => Volatile.Read(ref _arrivals);

    public IReadOnlyList<JsonNode> Bodies => [.. _server.LogEntries.Select(e => JsonNode.Parse(e.RequestMessage.Body!)!)];

    public IReadOnlyList<string?> Authorizations =>
        [.. _server.LogEntries.Select(e => e.RequestMessage.Headers?.TryGetValue("Authorization", out var v) == true ? v.ToString() : null)];

    public static string CompletionBody(string text, int promptTokens = 120, int completionTokens = 30, string finishReason = "stop",
        string model = "gpt-test-2026") => new JsonObject
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["finish_reason"] = finishReason,
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens },
    }.ToJsonString();

    public static IResponseBuilder Completion(string text, int promptTokens = 120, int completionTokens = 30) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(CompletionBody(text, promptTokens, completionTokens));

    public static IResponseBuilder Status(HttpStatusCode status) => Response.Create().WithStatusCode(status);

    /// <summary>Answers with these responses in turn; the last one repeats.</summary>
    public void Answer(params IResponseBuilder[] responses)
    {
        var scenario = $"completions-{Guid.NewGuid():N}";
        for (var i = 0; i < responses.Length; i++)
        {
            var request = Request.Create().WithPath(Path).UsingPost();
            // The first step matches in any state: a later step's lower priority number wins once its state is reached,
            // so the last response repeats instead of the first coming back.
            var mapping = responses.Length == 1
                ? _server.Given(request)
                : _server.Given(request).AtPriority(responses.Length - i).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"step-{i}");
            }

            if (i < responses.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"step-{i + 1}");
            }

            mapping.RespondWith(responses[i]);
        }
    }

    /// <summary>Every request waits without an answer until disposal: the client must time out.</summary>
    public void Hang()
    {
        var release = _release.Task;
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(async _ =>
            {
                Interlocked.Increment(ref _arrivals);
                _arrived.Raise();
                await release;
                return CompletionBody("too late");
            }));
    }

    /// <summary>Until <paramref name="count"/> requests have arrived (10 s at most), woken by each arrival.</summary>
    public Task WaitForArrivalsAsync(int count) =>
        _arrived.WaitUntilAsync(() => Arrivals >= count, TimeSpan.FromSeconds(10), () => $"The stub saw {Arrivals} of {count} requests.");

    /// <summary>
    /// Forgets scripts and requests. Requests left hanging by <see cref="Hang"/> stay unanswered until disposal (their
    /// clients gave up long ago): answered now, they would land in the next test's request log.
    /// </summary>
    public void Reset()
    {
        Volatile.Write(ref _arrivals, 0);
        _server.ResetMappings();
        _server.ResetScenarios();
        _server.ResetLogEntries();
    }

    public void Dispose()
    {
        _release.TrySetResult();
        _server.Stop();
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
