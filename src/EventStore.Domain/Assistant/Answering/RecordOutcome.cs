using EventStore.Domain.Auditing;
using EventStore.Domain.Chat;
using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Assistant.Answering;

/// <summary>The provider answered. In a room, the answer is also posted there as a message from the assistant.</summary>
[Actor(SystemActors.Assistant)]
public sealed record RecordAssistantResponse(
    Guid InteractionId, string Provider, string Model, int TokensIn, int TokensOut, long LatencyMs, decimal Cost,
    string FinishReason, [MultiLine(AssistantRules.MaxAnswerLength)] string Text, bool Disclaimer, bool Offline)
{
    public sealed class Validator : AbstractValidator<RecordAssistantResponse>
    {
        public Validator()
        {
            RuleFor(x => x.InteractionId).NotEmpty();
            RuleFor(x => x.Provider).NotEmpty();
            RuleFor(x => x.Model).NotEmpty();
            RuleFor(x => x.TokensIn).GreaterThanOrEqualTo(0);
            RuleFor(x => x.TokensOut).GreaterThanOrEqualTo(0);
            RuleFor(x => x.LatencyMs).GreaterThanOrEqualTo(0);
            RuleFor(x => x.Cost).GreaterThanOrEqualTo(0);
        }
    }
}

/// <summary>No answer could be had (after retries, circuit open, timeout, rate limit). In a room, the assistant says so.</summary>
[Actor(SystemActors.Assistant)]
public sealed record RecordAssistantFailure(
    Guid InteractionId, string Provider, string Model, string ErrorClass, int Attempts, long LatencyMs,
    [MultiLine(MessageText.MaxLength)] string Answer)
{
    public sealed class Validator : AbstractValidator<RecordAssistantFailure>
    {
        public Validator()
        {
            RuleFor(x => x.InteractionId).NotEmpty();
            RuleFor(x => x.ErrorClass).NotEmpty();
            RuleFor(x => x.Attempts).GreaterThanOrEqualTo(0);
        }
    }
}

public static class RecordOutcomeHandler
{
    public static async Task Handle(RecordAssistantResponse command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Interaction>(command.InteractionId, ct);
        var now = clock.GetUtcNow();
        if (MustBePending(stream.Aggregate) is not { } pending)
        {
            return;
        }

        foreach (var e in DecideResponse(pending, command, await protector.SealerAsync(session, pending.UserId, now, ct), now))
        {
            Append(session, stream, e);
        }
    }

    public static async Task Handle(RecordAssistantFailure command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Interaction>(command.InteractionId, ct);
        var now = clock.GetUtcNow();
        if (MustBePending(stream.Aggregate) is not { } pending)
        {
            return;
        }

        foreach (var e in DecideFailure(pending, command, await protector.SealerAsync(session, pending.UserId, now, ct), now))
        {
            Append(session, stream, e);
        }
    }

    /// <summary>The reply message starts its own stream; everything else belongs to the interaction.</summary>
    private static void Append(IDocumentSession session, JasperFx.Events.IEventStream<Interaction> stream, object e)
    {
        if (e is MessagePosted reply)
        {
            session.Events.StartStream<Message>(reply.MessageId, reply);
        }
        else
        {
            stream.AppendOne(e);
        }
    }

    /// <summary>
    /// An interaction gets one outcome: a second one (a retried delivery) changes nothing. The answer, and the reply in
    /// the room, are sealed under the asking user's key (<paramref name="personal"/>): the reply is written for them.
    /// </summary>
    public static IEnumerable<object> DecideResponse(Interaction? interaction, RecordAssistantResponse c, PersonalDataSealer personal,
        DateTimeOffset now)
    {
        var pending = MustBePending(interaction);
        if (pending is null)
        {
            yield break;
        }

        yield return new AssistantResponseReceived(pending.Id, pending.UserId, pending.ConversationId, pending.RoomId, c.Provider,
            c.Model, c.TokensIn, c.TokensOut, c.LatencyMs, c.Cost, c.FinishReason, personal.Seal(c.Text), c.Disclaimer, c.Offline, now);
        if (pending.RoomId is { } room)
        {
            var text = c.Disclaimer ? $"{c.Text}\n\n{AssistantRules.Disclaimer}" : c.Text;
            yield return Reply(pending, room, text, personal, now);
        }
    }

    public static IEnumerable<object> DecideFailure(Interaction? interaction, RecordAssistantFailure c, PersonalDataSealer personal,
        DateTimeOffset now)
    {
        var pending = MustBePending(interaction);
        if (pending is null)
        {
            yield break;
        }

        yield return new AssistantRequestFailed(pending.Id, pending.UserId, pending.ConversationId, pending.RoomId, c.Provider,
            c.Model, c.ErrorClass, c.Attempts, c.LatencyMs, now);
        if (pending.RoomId is { } room)
        {
            yield return Reply(pending, room, c.Answer, personal, now);
        }
    }

    private static MessagePosted Reply(Interaction interaction, Guid roomId, string text, PersonalDataSealer personal,
        DateTimeOffset now) =>
        new(AssistantIds.ReplyFor(interaction.Id), roomId, ChatIds.AssistantUserId,
            personal.Seal(Chat.MessageText.Normalize(text.Length > Chat.MessageText.MaxLength ? text[..Chat.MessageText.MaxLength] : text)),
            [], false, interaction.Id, now);

    private static Interaction? MustBePending(Interaction? interaction)
    {
        if (interaction is null || interaction.Id == Guid.Empty)
        {
            throw new NotFoundException("Interaction not found.");
        }

        return interaction.Status == InteractionStatus.Pending ? interaction : null;
    }
}
