namespace EventStore.Contracts.Assistant;

/// <summary>
/// The AI assistant answered (or gave up). Usage and cost, never the prompt or the answer. Asked in a conversation
/// (<see cref="ConversationId"/>) or by an <c>@assistant</c> mention in a room (<see cref="RoomId"/>); the key is the
/// conversation id, else the room id. FinishReason: the provider's (stop, length, ...) or "error", with
/// <see cref="ErrorClass"/> (timeout, circuit_open, http_429, ...) and a null cost.
/// </summary>
[IntegrationEvent(IntegrationModules.Assistant, "assistant-interaction-completed", 1)]
public sealed record AssistantInteractionCompleted(
    Guid InteractionId, Guid? ConversationId, Guid? RoomId, Guid UserId, string Provider, string Model, int TokensIn,
    int TokensOut, long LatencyMs, decimal? Cost, string FinishReason, string? ErrorClass, DateTimeOffset CompletedAt)
    : IntegrationEvent
{
    public const string Error = "error";
}
