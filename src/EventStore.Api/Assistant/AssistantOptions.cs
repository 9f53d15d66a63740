using EventStore.Api.Resilience;
using EventStore.Domain.Assistant;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Assistant;

/// <summary>Section <c>Assistant</c>: guardrails and the price table.</summary>
public sealed class AssistantOptions
{
    public const string SectionName = "Assistant";

    /// <summary>Assistant requests per user per minute (askAssistant and @assistant mentions together), across all nodes.</summary>
    public int RequestsPerMinute { get; set; } = 10;

    /// <summary>A longer answer is cut to this length and recorded with finish reason <c>length</c>.</summary>
    public int MaxAnswerChars { get; set; } = 4000;

    /// <summary>Price per 1,000 tokens by model name; a model that is not listed costs 0.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Cost of one answer, rounded to 6 decimals.</summary>
    public decimal CostOf(string model, int tokensIn, int tokensOut) =>
        Prices.TryGetValue(model, out var price)
            ? Math.Round((tokensIn * price.InputPer1KTokens + tokensOut * price.OutputPer1KTokens) / 1000m, 6, MidpointRounding.AwayFromZero)
            : 0m;
}

public sealed class ModelPrice
{
    public decimal InputPer1KTokens { get; set; }
    public decimal OutputPer1KTokens { get; set; }
}

/// <summary>
/// Section <c>Assistant:OpenAI</c>: any OpenAI-compatible chat-completions API. The provider is used when
/// <see cref="ApiKey"/> is set; otherwise the app answers with the offline provider.
/// </summary>
public sealed class OpenAIOptions : IHttpDependencyPolicy
{
    public const string SectionName = "Assistant:OpenAI";

    /// <summary>API root including the version, e.g. <c>https://host/v1</c>; requests go to <c>{BaseUrl}/chat/completions</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Secret: from the environment or user secrets only; never logged.</summary>
    public string? ApiKey { get; set; }

    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Upper bound on answer tokens sent as <c>max_tokens</c>.</summary>
    public int MaxTokens { get; set; } = 800;

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxRetries { get; set; } = 2;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
    public double FailureRatio { get; set; } = 0.5;
    public int MinimumThroughput { get; set; } = 4;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public bool Configured => !string.IsNullOrWhiteSpace(ApiKey);
}

// Each failure names the setting as written in configuration, so a bad value stops the app with a useful line.
internal sealed class AssistantOptionsValidation : IValidateOptions<AssistantOptions>, IValidateOptions<OpenAIOptions>
{
    public ValidateOptionsResult Validate(string? name, AssistantOptions o)
    {
        var failures = new List<string>();
        Check(failures, o.RequestsPerMinute is >= 1 and <= 10_000, "Assistant:RequestsPerMinute must be between 1 and 10000.");
        Check(failures, o.MaxAnswerChars is >= 100 and <= AssistantRules.MaxAnswerLength,
            $"Assistant:MaxAnswerChars must be between 100 and {AssistantRules.MaxAnswerLength}.");
        foreach (var (model, price) in o.Prices)
        {
            Check(failures, price.InputPer1KTokens >= 0 && price.OutputPer1KTokens >= 0, $"Assistant:Prices:{model} must not be negative.");
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, OpenAIOptions o)
    {
        var failures = new List<string>();
        if (o.Configured)
        {
            Check(failures, Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
                "Assistant:OpenAI:BaseUrl is required (an absolute http or https URL) when Assistant:OpenAI:ApiKey is set.");
            Check(failures, !string.IsNullOrWhiteSpace(o.Model), "Assistant:OpenAI:Model must not be empty.");
        }

        Check(failures, o.MaxTokens is >= 1 and <= 100_000, "Assistant:OpenAI:MaxTokens must be between 1 and 100000.");
        Check(failures, o.AttemptTimeout >= TimeSpan.FromMilliseconds(10) && o.AttemptTimeout <= TimeSpan.FromMinutes(10),
            "Assistant:OpenAI:AttemptTimeout must be between 00:00:00.01 and 00:10:00.");
        Check(failures, o.MaxRetries is >= 0 and <= 10, "Assistant:OpenAI:MaxRetries must be between 0 and 10.");
        Check(failures, o.BaseDelay >= TimeSpan.Zero && o.BaseDelay <= TimeSpan.FromMinutes(1), "Assistant:OpenAI:BaseDelay must be between 00:00:00 and 00:01:00.");
        Check(failures, o.MaxRetryAfter >= TimeSpan.Zero && o.MaxRetryAfter <= TimeSpan.FromMinutes(10), "Assistant:OpenAI:MaxRetryAfter must be between 00:00:00 and 00:10:00.");
        Check(failures, o.BreakDuration >= TimeSpan.FromSeconds(0.5), "Assistant:OpenAI:BreakDuration must be at least 00:00:00.5.");
        Check(failures, o.SamplingDuration >= TimeSpan.FromSeconds(0.5), "Assistant:OpenAI:SamplingDuration must be at least 00:00:00.5.");
        Check(failures, o.FailureRatio is > 0 and <= 1, "Assistant:OpenAI:FailureRatio must be in (0, 1].");
        Check(failures, o.MinimumThroughput >= 2, "Assistant:OpenAI:MinimumThroughput must be at least 2.");
        return Result(failures);
    }

    private static void Check(List<string> failures, bool ok, string message)
    {
        if (!ok)
        {
            failures.Add(message);
        }
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
