using EventStore.Contracts;
using JasperFx.Events;
using Marten;

namespace EventStore.Api.Integration;

/// <summary>
/// THE place that decides which domain events leave the service and as what: one entry per domain event type, each
/// turning the stored event into a public contract (or null: nothing to publish for this one). The relay stamps the
/// identity (event id), global sequence, correlation id and timestamp, and keys the message by the aggregate (stream)
/// id. A module plugs in with one extension method (see Mapping/, docs/integration.md).
/// </summary>
public sealed class IntegrationEventMap
{
    private readonly Dictionary<Type, Func<IEvent, IQuerySession, CancellationToken, Task<IntegrationEvent?>>> _maps = [];

    public IReadOnlyCollection<Type> DomainEventTypes => _maps.Keys;

    /// <summary>Maps a domain event from its own data.</summary>
    public IntegrationEventMap Map<TDomain>(Func<TDomain, IntegrationEvent?> map) where TDomain : notnull =>
        Map<TDomain>((e, _, _) => Task.FromResult(map(e.Data)));

    /// <summary>Maps a domain event that needs more than its own data (e.g. the owner of the stream it belongs to).</summary>
    public IntegrationEventMap Map<TDomain>(Func<IEvent<TDomain>, IQuerySession, CancellationToken, Task<IntegrationEvent?>> map)
        where TDomain : notnull
    {
        if (!_maps.TryAdd(typeof(TDomain), (e, session, ct) => map((IEvent<TDomain>)e, session, ct)))
        {
            throw new InvalidOperationException($"{typeof(TDomain).Name} is already mapped to an integration event.");
        }

        return this;
    }

    /// <summary>The integration event for a stored domain event, stamped with its identity, sequence, correlation and time.</summary>
    public async Task<IntegrationEvent?> MapAsync(IEvent e, IQuerySession session, CancellationToken ct)
    {
        if (!_maps.TryGetValue(e.EventType, out var map) || await map(e, session, ct) is not { } message)
        {
            return null;
        }

        return message with { EventId = e.Id, Sequence = e.Sequence, CorrelationId = e.CorrelationId, OccurredAt = e.Timestamp };
    }

    /// <summary>Every module's mapping. Add a module here (one line) when it starts publishing.</summary>
    public static IntegrationEventMap Default() => new IntegrationEventMap()
        .MapUsers()
        .MapTrading();
}
