using EventStore.Domain.Notifications;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Projections.Notifications;

/// <summary>Every read of the Notifications read models.</summary>
public static class NotificationQueries
{
    /// <summary>A notification as its stream says now (read-your-writes, whatever the projection's lag).</summary>
    public static Task<NotificationView?> NotificationAsync(IQuerySession session, Guid id, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<NotificationView>(id, token: ct);

    public static async Task<(IReadOnlyList<NotificationView> Items, bool HasNext)> PageAsync(IQuerySession session, Guid userId,
        bool unreadOnly, int first, (DateTimeOffset At, Guid Id)? after, CancellationToken ct)
    {
        var query = session.Query<NotificationView>().Where(x => x.UserId == userId);
        if (unreadOnly)
        {
            query = query.Where(x => x.ReadAt == null);
        }

        if (after is var (at, id))
        {
            query = query.Where(x => x.MatchesSql("(d.created_at, d.id) < (?, ?)", at, id));
        }

        var rows = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id).Take(first + 1).ToListAsync(ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    public static async Task<NotificationPreferencesView> PreferencesAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        var preferences = await session.Events.AggregateStreamAsync<NotificationPreferences>(NotificationIds.PreferencesOf(userId), token: ct);
        var contact = await session.LoadAsync<NotificationContact>(userId, ct);
        return new NotificationPreferencesView(true, preferences?.Email ?? false, preferences?.Sms ?? false, contact?.PhoneNumber);
    }
}

/// <summary>A user's notification channels as the API shows them.</summary>
public sealed record NotificationPreferencesView(bool InApp, bool Email, bool Sms, string? PhoneNumber);
