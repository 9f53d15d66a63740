using EventStore.Domain.Assistant;
using JasperFx.Events;
using Out = EventStore.Contracts.Assistant;

namespace EventStore.Api.Integration;

/// <summary>
/// The outcome of each interaction, answered or failed: usage and cost only, never the prompt, context or answer.
/// Keyed by the conversation (or the room, for an @assistant mention) so that one conversation's outcomes keep their order.
/// </summary>
public static class AssistantToIntegration
{
    public static IntegrationEventMap MapAssistant(this IntegrationEventMap map) => map
        .MapMany<AssistantResponseReceived>((e, _, _) =>
        {
            var r = e.Data;
            return Keyed(e, r.ConversationId, r.RoomId, new Out.AssistantInteractionCompleted(r.InteractionId, r.ConversationId,
                r.RoomId, r.UserId, r.Provider, r.Model, r.TokensIn, r.TokensOut, r.LatencyMs, r.Cost, r.FinishReason, null,
                r.ReceivedAt));
        })
        .MapMany<AssistantRequestFailed>((e, _, _) =>
        {
            var f = e.Data;
            return Keyed(e, f.ConversationId, f.RoomId, new Out.AssistantInteractionCompleted(f.InteractionId, f.ConversationId,
                f.RoomId, f.UserId, f.Provider, f.Model, 0, 0, f.LatencyMs, null, Out.AssistantInteractionCompleted.Error,
                f.ErrorClass, f.FailedAt));
        });

    private static Task<IReadOnlyList<IntegrationMessage>> Keyed(IEvent e, Guid? conversationId, Guid? roomId,
        Out.AssistantInteractionCompleted completed) =>
        Task.FromResult<IReadOnlyList<IntegrationMessage>>([new IntegrationMessage(completed, conversationId ?? roomId ?? e.StreamId)]);
}
