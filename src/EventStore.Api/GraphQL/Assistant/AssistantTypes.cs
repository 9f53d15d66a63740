using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain.Assistant;
using EventStore.Projections.Assistant;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Assistant;

public sealed class InteractionStatusType : EnumerationGraphType<InteractionStatus>
{
    public InteractionStatusType() => Name = "InteractionStatus";
}

public sealed class InteractionGraphType : ObjectGraphType<InteractionView>
{
    public InteractionGraphType()
    {
        Name = "AssistantInteraction";
        Description = "One question to the assistant and its outcome, as recorded in the interaction's events.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<IdGraphType>("conversationId").Resolve(c => c.Source.ConversationId);
        Field<IdGraphType>("roomId").Resolve(c => c.Source.RoomId);
        Field<IdGraphType>("messageId").Description("The room message that mentioned @assistant.").Resolve(c => c.Source.MessageId);
        Field(x => x.Prompt, nullable: true).Description("Null once the user's personal data is erased.")
            .Personal(PersonalKind.Text, x => x.UserId);
        Field(x => x.Context, nullable: true).Personal(PersonalKind.Text, x => x.UserId)
            .Description("Exactly what the assistant was given besides the prompt: instructions and tool results. Null once the user is erased.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ToolInvocationType>>>>("tools")
            .Personal(PersonalKind.Text, x => x.UserId).Resolve(c => c.Source.Tools);
        Field<NonNullGraphType<InteractionStatusType>>("status").Resolve(c => c.Source.Status);
        Field<StringGraphType>("response").Personal(PersonalKind.Text, x => x.UserId)
            .Description("The answer; when the provider failed, the message that the assistant is unavailable.")
            .Resolve(c => c.Source.Status == InteractionStatus.Failed
                ? c.Source.ErrorClass == "rate_limited" ? AssistantRules.RateLimitedAnswer : AssistantRules.UnavailableAnswer
                : c.Source.Response);
        Field(x => x.Provider, nullable: true).Description("offline (the built-in provider) or openai.");
        Field(x => x.Model, nullable: true);
        Field(x => x.TokensIn);
        Field(x => x.TokensOut);
        Field<LongGraphType>("latencyMs").Resolve(c => c.Source.LatencyMs);
        Field(x => x.Cost).Description("From the configured price table.");
        Field<StringGraphType>("finishReason").Description("The provider's (stop, length, ...), or `error` when it failed.")
            .Resolve(c => c.Source.Status == InteractionStatus.Failed ? "error" : c.Source.FinishReason);
        Field<StringGraphType>("disclaimer").Description("\"Not investment advice.\" on anything touching trading.")
            .Resolve(c => c.Source.Disclaimer ? AssistantRules.Disclaimer : null);
        Field(x => x.Offline).Description("Answered by the built-in offline provider, not by an AI model.");
        Field(x => x.ErrorClass, nullable: true);
        Field(x => x.Attempts).Description("HTTP attempts of a failed request.");
        Field(x => x.SubmittedAt);
        Field(x => x.CompletedAt, nullable: true);
    }
}

public sealed class ToolInvocationType : ObjectGraphType<ToolInvocation>
{
    public ToolInvocationType()
    {
        Name = "AssistantToolInvocation";
        Field(x => x.Tool);
        Field(x => x.Arguments).Description("JSON.").Personal(PersonalKind.Text, InteractionOwner);
        Field(x => x.ResultSummary, nullable: true).Description("Null once the user's personal data is erased.")
            .Personal(PersonalKind.Text, InteractionOwner);
    }

    /// <summary>A tool call belongs to the interaction that made it.</summary>
    private static DataSubject InteractionOwner(global::GraphQL.IResolveFieldContext c) =>
        DataSubject.Of(PersonalData.Ancestor<InteractionView>(c)?.UserId);
}


public sealed class ConversationGraphType : ObjectGraphType<ConversationWithInteractions>
{
    public ConversationGraphType()
    {
        Name = "AssistantConversation";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Conversation.Id);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startedAt").Resolve(c => c.Source.Conversation.StartedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InteractionGraphType>>>>("interactions")
            .Description("Oldest first.").Resolve(c => c.Source.Interactions);
    }
}

public sealed record AskAssistantPayload(ConversationWithInteractions Conversation, InteractionView Interaction);

public sealed class AskAssistantPayloadType : ObjectGraphType<AskAssistantPayload>
{
    public AskAssistantPayloadType()
    {
        Name = "AskAssistantPayload";
        Field<NonNullGraphType<ConversationGraphType>>("conversation").Resolve(c => c.Source.Conversation);
        Field<NonNullGraphType<InteractionGraphType>>("interaction").Resolve(c => c.Source.Interaction);
    }
}

public sealed class AskAssistantInput
{
    public Guid? ConversationId { get; set; }
    public string Prompt { get; set; } = "";
}

public sealed class AskAssistantInputType : InputObjectGraphType<AskAssistantInput>
{
    public AskAssistantInputType()
    {
        Name = "AskAssistantInput";
        Field<IdGraphType>("conversationId").Description("Omit to start a new conversation.");
        Field(x => x.Prompt).MultiLine(AssistantRules.MaxPromptLength).Description($"Up to {AssistantRules.MaxPromptLength} characters.");
    }
}

public sealed class AssistantUsageType : ObjectGraphType<AssistantUsage>
{
    public AssistantUsageType()
    {
        Name = "AssistantUsage";
        Description = "AI usage of one UTC day and one model (of one user, or across users).";
        Field(x => x.Day).Description("yyyy-MM-dd (UTC).");
        Field(x => x.Model);
        Field(x => x.Requests);
        Field(x => x.Answered);
        Field(x => x.Failed);
        Field<NonNullGraphType<LongGraphType>>("tokensIn").Resolve(c => c.Source.TokensIn);
        Field<NonNullGraphType<LongGraphType>>("tokensOut").Resolve(c => c.Source.TokensOut);
        Field(x => x.Cost);
        Field<NonNullGraphType<LongGraphType>>("latencyP50Ms").Resolve(c => c.Source.LatencyP50Ms);
        Field<NonNullGraphType<LongGraphType>>("latencyP95Ms").Resolve(c => c.Source.LatencyP95Ms);
        Field<NonNullGraphType<LongGraphType>>("latencyP99Ms").Resolve(c => c.Source.LatencyP99Ms);
    }
}
