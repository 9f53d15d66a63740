using JasperFx.Events;
using Wolverine;

namespace EventStore.Domain.Auditing;

/// <summary>
/// The audit metadata of the events one command appends: correlation id (the GraphQL operation or pump tick that started
/// it all), causation id (the message being handled), actor, and the command's type. <see cref="EventMetadataMiddleware"/>
/// puts it on a handler's session; a command committed with others (<see cref="Commits.GroupCommitter{T}"/>) carries it
/// on each of its own events, so a shared transaction never mixes two commands' metadata.
/// </summary>
public sealed record EventStamp(string? CorrelationId, string? CausationId, string Actor, string? Command)
{
    public static EventStamp Of(IMessageContext context)
    {
        var envelope = context.Envelope;
        var messageType = envelope?.Message?.GetType();
        return new EventStamp(
            context.CorrelationId ?? envelope?.CorrelationId ?? envelope?.Id.ToString(),
            envelope?.Id.ToString(),
            (messageType is null ? null : EventMetadataMiddleware.ActorOf(messageType)) ?? envelope?.UserName ?? context.UserName ?? SystemActors.Unknown,
            messageType?.Name);
    }

    /// <summary>Stamps <paramref name="e"/> as the command's session would have (Marten keeps what an event already has).</summary>
    public IEvent Apply(IEvent e)
    {
        e.CorrelationId = CorrelationId;
        e.CausationId = CausationId;
        e.UserName = Actor;
        if (Command is not null)
        {
            e.SetHeader(EventMetadataMiddleware.CommandHeader, Command);
        }

        return e;
    }
}
