using EventStore.Domain.Chat.Messages;
using Wolverine;

namespace EventStore.Domain.Assistant.Asking;

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
