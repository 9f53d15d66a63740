using System.Security.Claims;
using EventStore.Api.Auth;
using EventStore.Domain.Users;
using EventStore.Projections.Chat;
using EventStore.Projections.Search;
using Marten;

namespace EventStore.Api.Search;

/// <summary>
/// Adds visibility keys for a caller beyond the built-in ones, such as <see cref="RoomMembershipAudience"/>
/// (docs/search.md, "Chat messages").
/// </summary>
public interface ISearchAudienceSource
{
    Task<IEnumerable<string>> KeysAsync(Guid userId, CancellationToken ct);
}

/// <summary>The keys a caller holds: <c>public</c>, <c>user:&lt;own id&gt;</c>, <c>role:&lt;role&gt;</c> per role, plus sources.</summary>
public sealed class SearchAudience(IEnumerable<ISearchAudienceSource> sources)
{
    public async Task<IReadOnlyList<string>> KeysAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var id = user.UserId() ?? throw new InvalidOperationException("Search needs an authenticated user.");
        var keys = new List<string> { SearchReaders.Public, SearchReaders.User(id) };
        keys.AddRange(Roles.All.Where(user.IsInRole).Select(SearchReaders.Role));
        foreach (var source in sources)
        {
            keys.AddRange(await source.KeysAsync(id, ct));
        }

        return [.. keys.Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>
/// <c>room:&lt;id&gt;</c> for every room the caller is a member of now (the room read model, so a member who left or was
/// removed loses the key once the projection has caught up). Message documents list only their room: this is what lets
/// members, and nobody else, find them; admins and public rooms get no exception (docs/search.md, "Who finds what").
/// </summary>
public sealed class RoomMembershipAudience(IDocumentStore store) : ISearchAudienceSource
{
    public async Task<IEnumerable<string>> KeysAsync(Guid userId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var rooms = await session.Query<ChatRoomView>().Where(x => x.MemberIds.Contains(userId)).Select(x => x.Id).ToListAsync(ct);
        return rooms.Select(SearchReaders.Room);
    }
}
