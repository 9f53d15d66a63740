using Marten;

namespace EventStore.Domain.Trading.Accounts;

/// <summary>
/// The cash account as stored, for a read outside a command: the snapshot row the daemon keeps
/// (<c>SnapshotLifecycle.Async</c>, TradingModule) with the events appended after its version applied to it. One row and
/// as many events as the daemon is behind, whatever the stream's length; the whole stream only before the daemon has
/// written the row at all.
/// </summary>
public static class CashAccountReads
{
    public static async Task<CashAccount?> LatestAsync(IQuerySession session, Guid accountId, CancellationToken ct = default)
    {
        var row = await session.LoadAsync<CashAccount>(accountId, ct);
        return await session.Events.AggregateStreamAsync(accountId, state: row, fromVersion: (row?.Version ?? 0) + 1, token: ct) ?? row;
    }
}
