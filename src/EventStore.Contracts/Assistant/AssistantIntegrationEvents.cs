namespace EventStore.Contracts.Assistant;

/// <summary>
/// The AI assistant answered (or gave up). Usage and cost, never the prompt or the answer. Key: the conversation id.
/// FinishReason: the provider's (stop, length, ...) or "error".
/// </summary>
[IntegrationEvent(IntegrationModules.Assistant, "assistant-interaction-completed", 1)]
public sealed record AssistantInteractionCompleted(
    Guid InteractionId, Guid ConversationId, Guid UserId, string Provider, string Model, int TokensIn, int TokensOut,
    long LatencyMs, decimal? Cost, string FinishReason, DateTimeOffset CompletedAt) : IntegrationEvent;
