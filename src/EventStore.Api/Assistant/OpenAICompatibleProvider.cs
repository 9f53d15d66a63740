using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventStore.Api.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace EventStore.Api.Assistant;

/// <summary>
/// Any OpenAI-compatible chat-completions API (<c>POST {BaseUrl}/chat/completions</c>), through the pipeline
/// <see cref="ResiliencePipelines.Assistant"/>. The request carries the configured model, one system message (the context:
/// the asking user's data only) and the prompt; no user id. Whatever goes wrong ends as
/// <see cref="AssistantUnavailableException"/> with an error class; the API key never appears in a message or log.
/// </summary>
public sealed class OpenAICompatibleProvider(
    IHttpClientFactory clients,
    [FromKeyedServices(ResiliencePipelines.Assistant)] ResiliencePipeline<HttpResponseMessage> pipeline,
    IOptions<OpenAIOptions> options,
    ILogger<OpenAICompatibleProvider> logger)
    : IAssistantProvider
{
    public const string ProviderName = "openai";
    public const string HttpClientName = "assistant-openai";

    private readonly OpenAIOptions _options = options.Value;

    public string Name => ProviderName;

    public string Model => _options.Model;

    public bool IsOffline => false;

    public async Task<AssistantCompletion> CompleteAsync(AssistantRequest request, CancellationToken ct)
    {
        var url = new Uri((_options.BaseUrl ?? "").TrimEnd('/') + "/chat/completions");
        var body = JsonSerializer.Serialize(new JsonObject
        {
            ["model"] = _options.Model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = request.Context },
                new JsonObject { ["role"] = "user", ["content"] = request.Prompt }),
            ["max_tokens"] = _options.MaxTokens,
        });

        var http = clients.CreateClient(HttpClientName);
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            // The body is read inside the attempt (ResponseContentRead), so the per-attempt timeout covers it too.
            response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var message = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, token);
            }, ct);
        }
        catch (BrokenCircuitException e)
        {
            throw Unavailable("circuit_open", attempts, "the circuit is open after repeated failures", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw Unavailable("timeout", attempts, $"no answer within {_options.AttemptTimeout}", e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable("network", attempts, e.HttpRequestError.ToString(), e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                throw Unavailable("http_" + status, attempts, $"the provider answered {status}");
            }

            return Parse(await response.Content.ReadAsStringAsync(ct), attempts);
        }
    }

    private AssistantCompletion Parse(string body, int attempts)
    {
        try
        {
            var json = JsonNode.Parse(body);
            var choice = json?["choices"] is JsonArray { Count: > 0 } choices ? choices[0] : null;
            var text = choice?["message"]?["content"]?.GetValue<string>();
            if (text is null)
            {
                throw Unavailable("bad_response", attempts, "the answer has no choices[0].message.content");
            }

            return new AssistantCompletion(text, json?["model"]?.GetValue<string>() ?? _options.Model,
                json?["usage"]?["prompt_tokens"]?.GetValue<int>() ?? 0, json?["usage"]?["completion_tokens"]?.GetValue<int>() ?? 0,
                choice?["finish_reason"]?.GetValue<string>() ?? "unknown", attempts);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Unavailable("bad_response", attempts, "the answer is not chat-completions JSON", e);
        }
    }

    private AssistantUnavailableException Unavailable(string errorClass, int attempts, string reason, Exception? inner = null)
    {
        logger.LogDebug("Assistant provider unavailable: {ErrorClass} after {Attempts} attempts ({Reason})", errorClass, attempts, reason);
        return new AssistantUnavailableException(errorClass, attempts, reason, inner);
    }
}
