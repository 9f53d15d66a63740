using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Users;
using EventStore.Projections.Trading;
using EventStore.Projections.Users;
using JasperFx.Events;
using Marten;

namespace EventStore.Projections.Search;

/// <summary>The document an event changes.</summary>
public readonly record struct SearchKey(string Type, Guid Id);

/// <summary>
/// Which events change which document, and how to build that document now. Both backends (the PostgreSQL projection
/// and the Elasticsearch indexer) use these, so they index the same documents. A document is rebuilt from its whole
/// stream, not patched per event: re-processing any event is harmless, and the result depends only on the log.
/// </summary>
public static class SearchSources
{
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(UserRegistered), typeof(UserProfileUpdated), typeof(UserDeactivated), typeof(PersonalDataErased),
        typeof(InstrumentListed), typeof(InstrumentUpdated), typeof(InstrumentHalted), typeof(InstrumentResumed),
        typeof(OrderPlaced), typeof(OrderRejected), typeof(OrderFilled), typeof(OrderCancelled), typeof(OrderExpired),
        typeof(OrderAmended),
    ];

    public static SearchKey? KeyOf(object data) => data switch
    {
        UserRegistered e => new SearchKey(SearchTypes.User, e.UserId),
        UserProfileUpdated e => new SearchKey(SearchTypes.User, e.UserId),
        UserDeactivated e => new SearchKey(SearchTypes.User, e.UserId),
        PersonalDataErased e => new SearchKey(SearchTypes.User, e.UserId),
        InstrumentListed e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        InstrumentUpdated e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        InstrumentHalted e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        InstrumentResumed e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        OrderPlaced e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderRejected e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderFilled e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderCancelled e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderExpired e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderAmended e => new SearchKey(SearchTypes.Order, e.OrderId),
        _ => null,
    };

    /// <summary>The distinct documents a page of events touches, in first-touched order.</summary>
    public static IReadOnlyList<SearchKey> KeysOf(IEnumerable<IEvent> events) =>
        [.. events.Select(e => KeyOf(e.Data)).OfType<SearchKey>().Distinct()];

    /// <summary>
    /// The document as the whole stream now says (null: delete it). Users fold through <see cref="UserProfileProjection"/>
    /// (sealed fields opened with the user's key, so an erased user yields nothing).
    /// </summary>
    public static async Task<SearchDocument?> LoadAsync(IQuerySession session, SearchKey key, CancellationToken ct)
    {
        switch (key.Type)
        {
            case SearchTypes.User:
                return SearchDocuments.For(await session.Events.AggregateStreamAsync<UserProfile>(key.Id, token: ct));
            case SearchTypes.Order:
                return SearchDocuments.For(await session.Events.AggregateStreamAsync<OrderView>(key.Id, token: ct));
            case SearchTypes.Instrument:
                var (instrument, at) = FoldInstrument(await session.Events.FetchStreamAsync(key.Id, token: ct));
                return SearchDocuments.For(instrument, at);
            default:
                return null;
        }
    }

    /// <summary>The instrument read model has no timestamps; the events carry them.</summary>
    private static (InstrumentView? View, DateTimeOffset At) FoldInstrument(IReadOnlyList<IEvent> events)
    {
        InstrumentView? view = null;
        var at = default(DateTimeOffset);
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case InstrumentListed listed:
                    view = InstrumentViewProjection.Create(listed);
                    at = listed.ListedAt;
                    break;
                case InstrumentUpdated updated when view is not null:
                    InstrumentViewProjection.Apply(updated, view);
                    at = updated.UpdatedAt;
                    break;
                case InstrumentHalted halted when view is not null:
                    InstrumentViewProjection.Apply(halted, view);
                    at = halted.HaltedAt;
                    break;
                case InstrumentResumed resumed when view is not null:
                    InstrumentViewProjection.Apply(resumed, view);
                    at = resumed.ResumedAt;
                    break;
            }
        }

        return (view, at);
    }
}
