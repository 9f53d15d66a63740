using EventStore.Domain.Assistant;
using FluentValidation;
using EventStore.Domain.Assistant.Answering;
using EventStore.Domain.Assistant.Asking;
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
    TimeProvider time,
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

        var gathered = await tools.GatherAsync(userId, null, prompt, ct);
        await bus.InvokeAsync(new SubmitPrompt(interactionId, userId, conversation, conversationId is null, null, null, prompt,
            gathered.Context, gathered.Calls), ct);
        await CompleteAsync(bus, interactionId, userId, prompt, gathered, ct);
        return (interactionId, conversation);
    }

    public async Task AnswerMentionAsync(AnswerMention mention, IMessageBus bus, CancellationToken ct)
    {
        await using (var session = store.QuerySession())
        {
            if (await session.Events.AggregateStreamAsync<Interaction>(mention.InteractionId, token: ct) is { Id: var id } existing && id != Guid.Empty)
            {
                if (existing.Status != InteractionStatus.Pending)
                {
                    return; // a redelivered mention: answered already
                }

                // Recorded, then interrupted before an outcome: finish it.
                await CompleteAsync(bus, mention.InteractionId, mention.UserId, mention.Prompt,
                    await tools.GatherAsync(mention.UserId, mention.RoomId, mention.Prompt, ct), ct);
                return;
            }
        }

        if (!await limiter.TryAcquireAsync(mention.UserId, ct))
        {
            await bus.InvokeAsync(new SubmitPrompt(mention.InteractionId, mention.UserId, null, false, mention.RoomId, mention.MessageId,
                mention.Prompt, "", []), ct);
            await bus.InvokeAsync(new RecordAssistantFailure(mention.InteractionId, provider.Name, provider.Model, "rate_limited", 0, 0,
                AssistantRules.RateLimitedAnswer), CancellationToken.None);
            return;
        }

        var gathered = await tools.GatherAsync(mention.UserId, mention.RoomId, mention.Prompt, ct);
        await bus.InvokeAsync(new SubmitPrompt(mention.InteractionId, mention.UserId, null, false, mention.RoomId, mention.MessageId,
            mention.Prompt, gathered.Context, gathered.Calls), ct);
        await CompleteAsync(bus, mention.InteractionId, mention.UserId, mention.Prompt, gathered, ct);
    }

    private async Task CompleteAsync(IMessageBus bus, Guid interactionId, Guid userId, string prompt, GatheredContext gathered,
        CancellationToken ct)
    {
        var started = time.GetTimestamp();
        AssistantCompletion completion;
        try
        {
            completion = await provider.CompleteAsync(new AssistantRequest(userId, prompt, gathered.Context, gathered.Results), ct);
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
        await bus.InvokeAsync(new RecordAssistantResponse(interactionId, provider.Name, model, completion.TokensIn,
            completion.TokensOut, Elapsed(started), options.Value.CostOf(model, completion.TokensIn, completion.TokensOut),
            truncated ? "length" : TextHygiene.Scrub(completion.FinishReason, TextRule.Default), text, disclaimer, provider.IsOffline),
            CancellationToken.None);
    }

    private long Elapsed(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
