using EventStore.Api.Assistant.Tools;
using EventStore.Domain.Assistant;
using FluentValidation;
using EventStore.Domain.Assistant.Answering;
using EventStore.Domain.Assistant.Asking;
using EventStore.Domain.Chat;
using EventStore.Domain.Chat.Messages;
using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventStore.Api.Assistant;

/// <summary>
/// One interaction end to end, as commands, so that each step is recorded before the next one starts:
/// tools, then <see cref="SubmitPrompt"/> (committed before the provider is called), then the provider, then
/// <see cref="RecordAssistantResponse"/> or <see cref="RecordAssistantFailure"/>. A provider failure never escapes: the
/// user gets <see cref="AssistantRules.UnavailableAnswer"/> and the failure is an event.
/// </summary>
public sealed class AssistantRunner(
    IAssistantProvider provider,
    AssistantTools tools,
    AssistantRateLimiter limiter,
    IOptions<AssistantOptions> options,
    IDocumentStore store,
    PersonalDataProtector protector,
    TimeProvider time,
    Telemetry.ApiMetrics metrics,
    ILogger<AssistantRunner> logger) : IAssistantRunner
{
    /// <summary>askAssistant: a new conversation when <paramref name="conversationId"/> is null. Returns the interaction id.</summary>
    /// <exception cref="AssistantRateLimitedException">Too many requests: nothing is recorded.</exception>
    public async Task<(Guid InteractionId, Guid ConversationId)> AskAsync(IMessageBus bus, Guid userId, Guid? conversationId, string prompt,
        CancellationToken ct)
    {
        var interactionId = Guid.CreateVersion7();
        var conversation = conversationId ?? Guid.CreateVersion7();
        // Shape rules first (a blank or oversized prompt is VALIDATION and costs no request of the user's quota).
        await new SubmitPrompt.Validator().ValidateAndThrowAsync(new SubmitPrompt(interactionId, userId, conversation,
            conversationId is null, null, null, prompt, "", []), ct);
        if (!await limiter.TryAcquireAsync(userId, ct))
        {
            throw new AssistantRateLimitedException();
        }

        // A conversation is read by its owner alone: every tool may serve it.
        var gathered = await tools.GatherAsync(new AssistantQuestion(userId, prompt, null), AssistantAudience.Asker(userId), ct);
        await bus.InvokeAsync(new SubmitPrompt(interactionId, userId, conversation, conversationId is null, null, null, prompt,
            gathered.Context, gathered.Calls), ct);
        await CompleteAsync(bus, interactionId, userId, prompt, gathered, ct);
        return (interactionId, conversation);
    }

    public async Task AnswerMentionAsync(AnswerMention mention, IMessageBus bus, CancellationToken ct)
    {
        AssistantQuestion question;
        string prompt;
        await using (var session = store.QuerySession())
        {
            var opener = await protector.OpenerAsync(session, [mention.UserId, mention.Prompt.Subject], ct);
            if (opener.Open(mention.Prompt, mention.UserId) is not { } opened)
            {
                return; // the user was erased before the mention was answered: there is nothing left to answer
            }

            prompt = opened;
            // The room as it is now: its visibility and members decide who reads an answer posted there.
            question = new AssistantQuestion(mention.UserId, prompt,
                await session.Events.AggregateStreamAsync<Room>(mention.RoomId, token: ct));
            if (await session.Events.AggregateStreamAsync<Interaction>(mention.InteractionId, token: ct) is { Id: var id } existing && id != Guid.Empty)
            {
                if (existing.Status != InteractionStatus.Pending)
                {
                    return; // a redelivered mention: answered already
                }

                // Recorded, then interrupted before an outcome: finish it, for the audience recorded then.
                var audience = existing.ConversationId is null
                    ? AssistantAudience.InRoom(question.Room, mention.RoomId, mention.UserId)
                    : AssistantAudience.Asker(mention.UserId);
                await CompleteAsync(bus, mention.InteractionId, mention.UserId, prompt,
                    await tools.GatherAsync(question, audience, ct), ct);
                return;
            }
        }

        if (!await limiter.TryAcquireAsync(mention.UserId, ct))
        {
            await bus.InvokeAsync(new SubmitPrompt(mention.InteractionId, mention.UserId, null, false, mention.RoomId, mention.MessageId,
                prompt, "", []), ct);
            await bus.InvokeAsync(new RecordAssistantFailure(mention.InteractionId, provider.Name, provider.Model, "rate_limited", 0, 0,
                AssistantRules.RateLimitedAnswer), CancellationToken.None);
            return;
        }

        var gathered = await GatherForRoomAsync(question, mention.RoomId, ct);
        // Answered privately: a new conversation of the asker's, started in the same commit as the prompt, so a
        // redelivered mention finds it through the interaction.
        Guid? conversation = gathered.Audience.Kind == AudienceKind.Asker ? Guid.CreateVersion7() : null;
        await bus.InvokeAsync(new SubmitPrompt(mention.InteractionId, mention.UserId, conversation, conversation is not null, mention.RoomId,
            mention.MessageId, prompt, gathered.Context, gathered.Calls), ct);
        await CompleteAsync(bus, mention.InteractionId, mention.UserId, prompt, gathered, ct);
    }

    /// <summary>
    /// Where a room question is answered. In the room when its readers may hear every tool the question asks for. When it
    /// asks for something only the asker may hear (their cash, positions, P&amp;L, orders, fills), the whole answer goes
    /// to the asker privately and the room reads only <see cref="AssistantRules.AnsweredPrivately"/>: one rule for every
    /// tool, decided from the tools' declared data before any of them runs.
    /// </summary>
    private async Task<GatheredContext> GatherForRoomAsync(AssistantQuestion question, Guid roomId, CancellationToken ct)
    {
        var room = AssistantAudience.InRoom(question.Room, roomId, question.AskerId);
        var asker = AssistantAudience.Asker(question.AskerId);
        var plan = await tools.PlanAsync(question, ct);
        var privately = plan.Any(c => !room.MayHear(c.Tool.Data, question.Room) && asker.MayHear(c.Tool.Data, question.Room));
        return await tools.GatherAsync(question, plan, privately ? asker : room, ct);
    }

    private async Task CompleteAsync(IMessageBus bus, Guid interactionId, Guid userId, string prompt, GatheredContext gathered,
        CancellationToken ct)
    {
        var started = time.GetTimestamp();
        AssistantCompletion completion;
        try
        {
            completion = await provider.CompleteAsync(new AssistantRequest(userId, prompt, gathered.Context, gathered.Results, gathered.Audience), ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (errorClass, attempts) = e switch
            {
                AssistantUnavailableException u => (u.ErrorClass, u.Attempts),
                OperationCanceledException => ("cancelled", 0),
                _ => ("internal", 0),
            };
            if (e is not AssistantUnavailableException)
            {
                logger.LogError(e, "Assistant provider {Provider} failed unexpectedly", provider.Name);
            }

            // Recorded even when the caller went away: the log must show every interaction's outcome.
            await bus.InvokeAsync(new RecordAssistantFailure(interactionId, provider.Name, provider.Model, errorClass, attempts,
                Elapsed(started), AssistantRules.UnavailableAnswer), CancellationToken.None);
            return;
        }

        // The answer comes from outside our walls and is recorded whatever it holds: what the input rule would refuse
        // (a NUL, a lone surrogate, ...) is replaced, and the cut never splits a surrogate pair.
        var text = TextHygiene.Scrub(completion.Text, TextRule.MultiLineText(options.Value.MaxAnswerChars), out var truncated);
        var model = TextHygiene.Scrub(completion.Model, TextRule.Default);
        // The offline help text names trading features without touching trading; a model's answer may, whatever was asked.
        var disclaimer = gathered.TouchesTrading || AssistantTools.TouchesTrading(prompt)
            || (!provider.IsOffline && AssistantTools.TouchesTrading(text));
        var cost = options.Value.CostOf(model, completion.TokensIn, completion.TokensOut);
        // The model name is the provider's answer: only configured models (priced) or the provider's own name become tags.
        metrics.AssistantAnswered(options.Value.Prices.ContainsKey(model) ? model : provider.Model, completion.TokensIn,
            completion.TokensOut, cost);
        await bus.InvokeAsync(new RecordAssistantResponse(interactionId, provider.Name, model, completion.TokensIn,
            completion.TokensOut, Elapsed(started), cost,
            truncated ? "length" : TextHygiene.Scrub(completion.FinishReason, TextRule.Default), text, disclaimer, provider.IsOffline),
            CancellationToken.None);
    }

    private long Elapsed(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
