using EventStore.Domain.Privacy;

namespace EventStore.Domain.Assistant;

// Domain events of the AI assistant. A conversation's stream (id ConversationId) records that it was started and by
// whom; each interaction (one prompt and its outcome) is a stream of its own (id InteractionId), so everything about an
// AI answer is in the log: what was asked, what the assistant was given, which tools ran, and what came back from which
// model at what cost, or how it failed. The free texts (Prompt, Context, a tool's ResultSummary, the response Text) are
// personal data of the asking user, sealed under their key (docs/compliance.md).

public sealed record AssistantConversationStarted(Guid ConversationId, Guid UserId, DateTimeOffset StartedAt);

/// <param name="ConversationId">
/// Where the answer goes when it is private: the conversation asked in (askAssistant), or, with <paramref name="RoomId"/>
/// also set, the new conversation a room question about the asker's own account is answered in (docs/assistant.md).
/// </param>
/// <param name="RoomId">Set when asked by mentioning @assistant in a room; <paramref name="MessageId"/> is that message.</param>
/// <param name="Context">Exactly what the assistant was given besides the prompt: instructions and tool results.</param>
public sealed record AssistantPromptSubmitted(
    Guid InteractionId, Guid UserId, Guid? ConversationId, Guid? RoomId, Guid? MessageId, SealedText Prompt, SealedText Context,
    DateTimeOffset SubmittedAt);

/// <summary>A read-only tool ran for the asking user before the provider was called.</summary>
/// <param name="Audience">
/// Who reads the answer this result went into, as decided before the tool ran: <c>asker</c> (a private conversation),
/// <c>room_members</c> (a private or direct room) or <c>everyone</c> (a public room). Null on events recorded before the
/// audience was (all of them answered where they were asked).
/// </param>
public sealed record AssistantToolInvoked(
    Guid InteractionId, string Tool, string Arguments, SealedText ResultSummary, DateTimeOffset InvokedAt, string? Audience = null);

/// <param name="Cost">From the configured price table for <paramref name="Model"/> (0 when the model has no price).</param>
/// <param name="Disclaimer">The answer touches trading: shown with "Not investment advice."</param>
/// <param name="Offline">Answered by the built-in offline provider, not by an AI model.</param>
public sealed record AssistantResponseReceived(
    Guid InteractionId, Guid UserId, Guid? ConversationId, Guid? RoomId, string Provider, string Model, int TokensIn, int TokensOut,
    long LatencyMs, decimal Cost, string FinishReason, SealedText Text, bool Disclaimer, bool Offline, DateTimeOffset ReceivedAt);

/// <param name="ErrorClass">timeout, circuit_open, http_429, http_500, network, bad_response, rate_limited, ...</param>
/// <param name="Attempts">HTTP attempts made (0 when none was, e.g. circuit open or rate limited).</param>
public sealed record AssistantRequestFailed(
    Guid InteractionId, Guid UserId, Guid? ConversationId, Guid? RoomId, string Provider, string Model, string ErrorClass,
    int Attempts, long LatencyMs, DateTimeOffset FailedAt);
