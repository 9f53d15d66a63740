using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using EventStore.Domain.Users.Sessions;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Projections.Users;

/// <summary>Every read of the Users read models: straight to Marten, never through the message bus.</summary>
public static class UserQueries
{
    /// <summary>The projection's row, or the live stream when the async projection has not caught up yet.</summary>
    public static async Task<UserView?> FindAsync(IQuerySession session, PersonalDataProtector protector, Guid id, CancellationToken ct)
    {
        var profile = await session.LoadAsync<UserProfile>(id, ct);
        return profile is not null ? UserView.From(profile) : await LiveAsync(session, protector, id, ct);
    }

    /// <summary>The user as of the latest committed event (what a mutation returns).</summary>
    public static async Task<UserView?> LiveAsync(IQuerySession session, PersonalDataProtector protector, Guid id, CancellationToken ct)
    {
        var user = await session.Events.AggregateStreamAsync<User>(id, token: ct);
        return user is null ? null : UserView.From(user, await protector.OpenerAsync(session, [id], ct));
    }

    /// <summary>The user's account document (credentials, MFA state), written with the user's commands.</summary>
    public static Task<UserAccount?> AccountAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        session.LoadAsync<UserAccount>(userId, ct);

    /// <summary>One login session's document.</summary>
    public static Task<UserSession?> SessionAsync(IQuerySession session, Guid sessionId, CancellationToken ct) =>
        session.LoadAsync<UserSession>(sessionId, ct);

    /// <summary>The write model as of the latest event (what a login step checks).</summary>
    public static Task<User?> UserAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<User>(userId, token: ct);

    /// <summary>Usernames of many users in one round trip (users without a profile row are left out).</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> UsernamesAsync(IQuerySession session, IReadOnlyCollection<Guid> userIds,
        CancellationToken ct)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var profiles = await session.LoadManyAsync<UserProfile>(ct, userIds.Distinct());
        return profiles.Where(p => p.Username is not null).ToDictionary(p => p.Id, p => p.Username!);
    }

    /// <summary>The file ids of many users' avatars in one round trip.</summary>
    public static async Task<IReadOnlyDictionary<Guid, Guid>> AvatarsAsync(IQuerySession session, IReadOnlyCollection<Guid> userIds,
        CancellationToken ct)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<Guid, Guid>();
        }

        var avatars = await session.LoadManyAsync<Files.UserAvatar>(ct, userIds.Distinct());
        return avatars.ToDictionary(a => a.Id, a => a.FileId);
    }

    public sealed record Page(IReadOnlyList<UserProfile> Items, bool HasNextPage);

    /// <summary>Keyset page ordered by lower-cased username (unique), so paging is stable under inserts.</summary>
    public static async Task<Page> ListAsync(
        IQuerySession session, int first, string? afterKey, string? namePrefix, string? role, CancellationToken ct)
    {
        IQueryable<UserProfile> query = session.Query<UserProfile>();
        if (!string.IsNullOrWhiteSpace(namePrefix))
        {
            var prefix = namePrefix.Trim();
            var key = prefix.ToLowerInvariant();
            query = query.Where(x => x.UsernameKey.StartsWith(key)
                || x.DisplayName!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        }

        if (role is not null)
        {
            query = query.Where(x => x.Roles.Contains(role));
        }

        if (afterKey is not null)
        {
            query = query.Where(x => x.MatchesSql("d.username_key > ?", afterKey));
        }

        var rows = await query.OrderBy(x => x.UsernameKey).Take(first + 1).ToListAsync(ct);
        return new Page(rows.Take(first).ToList(), rows.Count > first);
    }
}
