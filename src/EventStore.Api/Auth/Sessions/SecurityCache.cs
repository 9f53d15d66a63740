using System.Collections.Concurrent;

namespace EventStore.Api.Auth.Sessions;

/// <summary>What a node knows of one user's security state: loaded once, kept until an event changes it.</summary>
public sealed record SecurityEntry(long Stamp, bool IsActive, IReadOnlySet<Guid> LiveSessions, DateTimeOffset LoadedAt);

/// <summary>
/// This node's cache of <see cref="SecurityEntry"/> per user, so that checking a token costs no database round trip.
/// Entries leave on invalidation only: by this node's own commits at once (SecurityChangeListener), by every other
/// node's through PostgreSQL NOTIFY (SecurityNotifications). A load that raced an invalidation is not kept
/// (generation check), so a stale entry cannot outlive the event that made it stale.
/// </summary>
public sealed class SecurityCache
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<Guid, SecurityEntry> _entries = new();
    private long _generation;

    /// <summary>Raised after a user's entry was dropped: open WebSocket connections of theirs re-check themselves.</summary>
    public event Action<Guid>? Invalidated;

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(Guid userId, out SecurityEntry entry) => _entries.TryGetValue(userId, out entry!);

    public void Store(Guid userId, SecurityEntry entry, long generationAtLoad)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear(); // bounded memory; the cost is one reload per active user
        }

        if (Generation == generationAtLoad)
        {
            _entries[userId] = entry;
        }
    }

    public void Invalidate(Guid userId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(userId, out _);
        Invalidated?.Invoke(userId);
    }

    /// <summary>Drops everything (the notification connection was lost: some invalidations may have been missed).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        var users = _entries.Keys.ToList();
        _entries.Clear();
        foreach (var user in users)
        {
            Invalidated?.Invoke(user);
        }
    }
}
