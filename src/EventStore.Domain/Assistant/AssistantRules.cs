using EventStore.Domain.Trading;

namespace EventStore.Domain.Assistant;

public static class AssistantRules
{
    public const int MaxPromptLength = 4000;
    public const int MaxContextLength = 20_000;
    public const int MaxTools = 8;

    /// <summary>The upper bound of Assistant:MaxAnswerChars: no recorded answer is longer.</summary>
    public const int MaxAnswerLength = 100_000;

    public const string Disclaimer = "Not investment advice.";

    /// <summary>What a user reads when no answer could be had: the failure itself is recorded, chat carries on.</summary>
    public const string UnavailableAnswer =
        "The assistant is unavailable right now, so this question was not answered. It has been recorded; please try again later.";

    /// <summary>
    /// What a room reads when a question there was about the asker's own account: where the answer is, and no figure.
    /// The answer itself is in the asker's new conversation (docs/assistant.md, "Who reads an answer").
    /// </summary>
    public const string AnsweredPrivately =
        "I've answered you privately in your assistant conversation: the question is about your own account, which only you may see.";

    public const string RateLimitedAnswer =
        "You have asked the assistant too often in a short time; please wait a minute and ask again.";
}

/// <summary>Ids derived from the message that summoned the assistant: a retried mention maps to the same interaction and reply.</summary>
public static class AssistantIds
{
    public static Guid InteractionFor(Guid messageId) => Chat.ChatIds.AssistantInteractionFor(messageId);

    public static Guid ReplyFor(Guid interactionId) => TradingIds.NameBased("assistant-reply:" + interactionId.ToString("N"));
}
