using EventStore.Domain.Validation;
using Wolverine;

namespace EventStore.Domain.Assistant.Asking;

/// <summary>
/// Cascaded by a post that mentions @assistant, through the durable inbox: answered after the post has committed, so the
/// post never depends on the assistant. <paramref name="InteractionId"/> derives from the message, so a redelivery is
/// recognised.
/// </summary>
public sealed record AnswerMention(
    Guid InteractionId, Guid RoomId, Guid MessageId, Guid UserId, [MultiLine(AssistantRules.MaxPromptLength)] string Prompt);

/// <summary>
/// Runs one interaction end to end (context and tools, submit, provider, outcome). Implemented at the edge
/// (src/EventStore.Api/Assistant), where the providers and the read models are.
/// </summary>
public interface IAssistantRunner
{
    Task AnswerMentionAsync(AnswerMention mention, IMessageBus bus, CancellationToken ct);
}

public static class AnswerMentionHandler
{
    public static Task Handle(AnswerMention mention, IAssistantRunner runner, IMessageBus bus, CancellationToken ct) =>
        runner.AnswerMentionAsync(mention, bus, ct);
}
