using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Trading.Positions;
using JasperFx.Events;
using Marten;

namespace EventStore.Api.Hosting;

/// <summary>
/// The migration to the inline snapshots of the trading write models (Position, Order; TradingModule): a stream appended
/// to before they existed has no snapshot row, and FetchForWriting would then see no aggregate at all and decide on
/// nothing. The cash account's snapshot is kept by the daemon instead (SnapshotLifecycle.Async): FetchForWriting replays
/// the events after its row, all of them when there is none, and the daemon writes the rows from the first event on, so
/// it needs no backfill (and one stored here, outside the daemon, is not what its FetchForWriting expects). At start-up,
/// under the schema lock and before any handler or projection runs on this node, every such stream is aggregated once
/// from its events and its snapshot stored. A store that has them all finds
/// nothing to do (one indexed query per type). docs/performance.md#write-model-snapshots.
/// </summary>
public static class WriteModelSnapshots
{
    private const int BatchSize = 200;

    public static async Task<int> BackfillAsync(IDocumentStore store, ILogger logger, CancellationToken ct)
    {
        var total = 0;
        total += await BackfillAsync<Position>(store, logger,
            [typeof(PositionOpened), typeof(SharesReserved), typeof(SharesReservationReleased), typeof(PositionIncreased),
                typeof(PositionDecreased)], ct);
        total += await BackfillAsync<Order>(store, logger,
            [typeof(OrderPlaced), typeof(OrderRejected), typeof(OrderFilled), typeof(OrderCancelled), typeof(OrderExpired),
                typeof(OrderAmended)], ct);
        return total;
    }

    /// <summary>Streams whose first event is one of <paramref name="eventTypes"/> (the aggregate's own) and that have no snapshot row.</summary>
    private static async Task<int> BackfillAsync<T>(IDocumentStore store, ILogger logger, Type[] eventTypes, CancellationToken ct)
        where T : class
    {
        var options = (StoreOptions)store.Options;
        var schema = options.Events.DatabaseSchemaName;
        var table = store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
        var naming = options.Events.EventNamingStyle;
        var typeNames = eventTypes.Select(t => t.GetEventTypeName(naming)).ToArray();
        var sql = $"""
            select s.id from {schema}.mt_streams s
            join {schema}.mt_events e on e.stream_id = s.id and e.version = 1
            where e.type = any(?) and not exists (select 1 from {table} d where d.id = s.id)
            """;

        IReadOnlyList<Guid> missing;
        await using (var query = store.QuerySession())
        {
            missing = await query.QueryAsync<Guid>(sql, ct, new object[] { typeNames });
        }

        foreach (var batch in missing.Chunk(BatchSize))
        {
            await using var session = store.LightweightSession();
            foreach (var id in batch)
            {
                if (await session.Events.AggregateStreamAsync<T>(id, token: ct) is { } aggregate)
                {
                    session.Store(aggregate);
                }
            }

            await session.SaveChangesAsync(ct);
        }

        if (missing.Count > 0)
        {
            logger.LogWarning("Backfilled the inline snapshot of {Count} {Type} streams appended to before it existed",
                missing.Count, typeof(T).Name);
        }

        return missing.Count;
    }
}
