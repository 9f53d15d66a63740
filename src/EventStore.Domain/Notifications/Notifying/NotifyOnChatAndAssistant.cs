using EventStore.Contracts.Assistant;
using EventStore.Contracts.Chat;
using Marten;
using Wolverine;

namespace EventStore.Domain.Notifications.Notifying;

/// <summary>A mention notifies the mentioned user only; an assistant answer notifies the user who asked.</summary>
public static class NotifyOnChatAndAssistantHandler
{
    public static Task<OutgoingMessages> Handle(UserMentioned e, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        e.MentionedUserId == e.AuthorId
            ? Notify.NobodyAsync(session, e, clock, ct)
            : Notify.UserAsync(session, e, e.MentionedUserId, NotificationKind.Mentioned, "You were mentioned",
                "Someone mentioned you in a chat room.", e.RoomId, clock, ct);

    public static Task<OutgoingMessages> Handle(AssistantInteractionCompleted e, IDocumentSession session, TimeProvider clock,
        CancellationToken ct) =>
        Notify.UserAsync(session, e, e.UserId, NotificationKind.AssistantAnswered,
            e.FinishReason == AssistantInteractionCompleted.Error ? "The assistant could not answer" : "The assistant answered",
            e.ConversationId is null ? "Open the room to read the answer." : "Open the conversation to read the answer.",
            e.ConversationId ?? e.RoomId, clock, ct);
}
