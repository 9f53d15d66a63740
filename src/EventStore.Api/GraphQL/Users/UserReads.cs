using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using EventStore.Projections.Users;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Api.GraphQL.Users;

/// <summary>Reads behind the Users fields: straight to Marten, never through the message bus.</summary>
public static class UserReads
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
