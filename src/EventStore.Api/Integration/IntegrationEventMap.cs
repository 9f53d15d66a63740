using EventStore.Contracts;
using EventStore.Domain.Trading;
using JasperFx.Events;
using Marten;

namespace EventStore.Api.Integration;

/// <summary>
/// One message to publish for a stored domain event: the contract, its partition key (null: the event's stream id),
/// and, when one domain event yields several messages, the part that tells this one apart (e.g. one per mentioned user).
/// </summary>
public sealed record IntegrationMessage(IntegrationEvent Event, Guid? Key = null, string? Part = null);

/// <summary>
/// THE place that decides which domain events leave the service and as what: one entry per domain event type, each
/// turning the stored event into zero, one or more public contracts. The relay stamps the identity, global sequence,
/// correlation id and timestamp, and keys each message (by the aggregate's stream id unless the mapping names another
/// key, such as the room of a chat message). A module plugs in with one extension method (see Mapping/,
/// docs/integration.md).
/// </summary>
public sealed class IntegrationEventMap
{
    private readonly Dictionary<Type, Func<IEvent, IQuerySession, CancellationToken, Task<IReadOnlyList<IntegrationMessage>>>> _maps = [];

    public IReadOnlyCollection<Type> DomainEventTypes => _maps.Keys;

    /// <summary>Maps a domain event from its own data, keyed by its stream id.</summary>
    public IntegrationEventMap Map<TDomain>(Func<TDomain, IntegrationEvent?> map) where TDomain : notnull =>
        Map<TDomain>((e, _, _) => Task.FromResult(map(e.Data)));

    /// <summary>Maps a domain event that needs more than its own data (e.g. the owner of the stream it belongs to).</summary>
    public IntegrationEventMap Map<TDomain>(Func<IEvent<TDomain>, IQuerySession, CancellationToken, Task<IntegrationEvent?>> map)
        where TDomain : notnull =>
        MapMany<TDomain>(async (e, session, ct) => await map(e, session, ct) is { } message ? [new IntegrationMessage(message)] : []);

    /// <summary>Maps a domain event to any number of messages, each with its own key and part.</summary>
    public IntegrationEventMap MapMany<TDomain>(
        Func<IEvent<TDomain>, IQuerySession, CancellationToken, Task<IReadOnlyList<IntegrationMessage>>> map)
        where TDomain : notnull
    {
        if (!_maps.TryAdd(typeof(TDomain), (e, session, ct) => map((IEvent<TDomain>)e, session, ct)))
        {
            throw new InvalidOperationException($"{typeof(TDomain).Name} is already mapped to integration events.");
        }

        return this;
    }

    /// <summary>
    /// The messages for a stored domain event, each stamped with its identity, sequence, correlation and time. The
    /// identity is the domain event's id, or for a message with a part a name-based id derived from both, so that
    /// every message has an identity of its own that is the same on every redelivery.
    /// </summary>
    public async Task<IReadOnlyList<(IntegrationEvent Message, string Key)>> MapAsync(IEvent e, IQuerySession session,
        CancellationToken ct)
    {
        if (!_maps.TryGetValue(e.EventType, out var map))
        {
            return [];
        }

        return (await map(e, session, ct))
            .Select(m => (
                m.Event with { EventId = IdentityOf(e.Id, m.Part), Sequence = e.Sequence, CorrelationId = e.CorrelationId, OccurredAt = e.Timestamp },
                (m.Key ?? e.StreamId).ToString()))
            .ToList();
    }

    public static Guid IdentityOf(Guid eventId, string? part) =>
        part is null ? eventId : TradingIds.NameBased($"integration:{eventId:N}:{part}");

    /// <summary>Every module's mapping. Add a module here (one line) when it starts publishing.</summary>
    public static IntegrationEventMap Default() => new IntegrationEventMap()
        .MapUsers()
        .MapTrading()
        .MapChat()
        .MapCommunity()
        .MapAssistant();
}
