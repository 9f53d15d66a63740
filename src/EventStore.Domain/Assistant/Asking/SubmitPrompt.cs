using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Assistant.Asking;

public sealed record ToolCall(string Tool, string Arguments, [MultiLine(AssistantRules.MaxContextLength)] string ResultSummary);

/// <summary>
/// Records a prompt before any provider is called, with the context and tool results the assistant is given. Asked in a
/// conversation (<paramref name="ConversationId"/>; <paramref name="StartsConversation"/> for a new one) or in a room.
/// </summary>
public sealed record SubmitPrompt(
    Guid InteractionId, Guid UserId, Guid? ConversationId, bool StartsConversation, Guid? RoomId, Guid? MessageId,
    [MultiLine(AssistantRules.MaxPromptLength)] string Prompt,
    [MultiLine(AssistantRules.MaxContextLength)] string Context,
    IReadOnlyList<ToolCall> Tools)
{
    public sealed class Validator : AbstractValidator<SubmitPrompt>
    {
        public Validator()
        {
            RuleFor(x => x.InteractionId).NotEmpty();
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.Prompt).Cascade(CascadeMode.Stop).NotEmpty().Must(p => p.Trim().Length > 0)
                .WithMessage("'{PropertyName}' must not be blank.").MaximumLength(AssistantRules.MaxPromptLength);
            RuleFor(x => x.Context).MaximumLength(AssistantRules.MaxContextLength);
            RuleFor(x => x.Tools).Must(t => t.Count <= AssistantRules.MaxTools);
            RuleFor(x => x.ConversationId).NotNull().When(x => x.RoomId is null)
                .WithMessage("Ask in a conversation or in a room.");
            RuleFor(x => x.ConversationId).Null().When(x => x.RoomId is not null)
                .WithMessage("Ask in a conversation or in a room, not both.");
        }
    }
}

public static class SubmitPromptHandler
{
    public static async Task Handle(SubmitPrompt command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var conversation = command.ConversationId is { } id && !command.StartsConversation
            ? await session.Events.FetchLatest<Conversation>(id, ct)
            : null;
        var decision = Decide(conversation, command, await protector.SealerAsync(session, command.UserId, now, ct), now);
        if (decision.Started is { } started)
        {
            session.Events.StartStream<Conversation>(started.ConversationId, started);
        }

        session.Events.StartStream<Interaction>(command.InteractionId, decision.Interaction);
    }

    public sealed record Decision(AssistantConversationStarted? Started, IReadOnlyList<object> Interaction);

    /// <summary>
    /// Only the owner asks in a conversation; anyone else's conversation does not exist for them. The prompt, the context
    /// and the tool results are sealed under the asking user's key (<paramref name="personal"/>).
    /// </summary>
    public static Decision Decide(Conversation? conversation, SubmitPrompt command, PersonalDataSealer personal, DateTimeOffset now)
    {
        AssistantConversationStarted? started = null;
        if (command.StartsConversation && command.ConversationId is { } newId)
        {
            started = new AssistantConversationStarted(newId, command.UserId, now);
        }
        else if (command.ConversationId is not null && (conversation is null || conversation.Id == Guid.Empty
            || conversation.UserId != command.UserId))
        {
            throw new NotFoundException("Conversation not found.");
        }

        List<object> events =
        [
            new AssistantPromptSubmitted(command.InteractionId, command.UserId, command.ConversationId, command.RoomId,
                command.MessageId, personal.Seal(command.Prompt.Trim()), personal.Seal(command.Context), now),
            .. command.Tools.Select(t => new AssistantToolInvoked(command.InteractionId, t.Tool, t.Arguments,
                personal.Seal(t.ResultSummary), now)),
        ];
        return new Decision(started, events);
    }
}
