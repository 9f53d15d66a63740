namespace EventStore.Api.Assistant;

/// <summary>
/// A model that answers a prompt given a context. Two implementations: <see cref="OfflineAssistantProvider"/> (the
/// default, no network) and <see cref="OpenAICompatibleProvider"/> (any chat-completions API, behind Polly).
/// </summary>
public interface IAssistantProvider
{
    /// <summary>Recorded with every outcome: <c>offline</c> or <c>openai</c>.</summary>
    string Name { get; }

    /// <summary>The model asked for (recorded with failures, when no answer names one).</summary>
    string Model { get; }

    bool IsOffline { get; }

    /// <exception cref="AssistantUnavailableException">No answer could be had.</exception>
    Task<AssistantCompletion> CompleteAsync(AssistantRequest request, CancellationToken ct);
}

/// <param name="Context">
/// The system message: instructions and the tool results, exactly as <see cref="AssistantTools"/> built them for
/// <paramref name="Audience"/>; nothing else (no earlier answers, no user id) reaches a provider.
/// </param>
/// <param name="Audience">Who reads the answer: the asker alone, a room's members, or everyone.</param>
public sealed record AssistantRequest(Guid UserId, string Prompt, string Context, IReadOnlyList<ToolResult> Tools, AssistantAudience Audience);

/// <summary>What one tool found, for the offline provider to phrase (the HTTP provider gets it inside the context).</summary>
public sealed record ToolResult(string Tool, string Arguments, string Summary);

public sealed record AssistantCompletion(string Text, string Model, int TokensIn, int TokensOut, string FinishReason, int Attempts);

/// <summary>The provider gave no usable answer. <see cref="ErrorClass"/> is recorded: timeout, circuit_open, http_500, ...</summary>
public sealed class AssistantUnavailableException(string errorClass, int attempts, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ErrorClass { get; } = errorClass;

    public int Attempts { get; } = attempts;
}
