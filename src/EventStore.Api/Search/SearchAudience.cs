using System.Security.Claims;
using EventStore.Api.Auth;
using EventStore.Domain.Users;
using EventStore.Projections.Search;

namespace EventStore.Api.Search;

/// <summary>
/// Adds visibility keys for a caller beyond the built-in ones. The Chat module registers one that yields
/// <c>room:&lt;id&gt;</c> for every room the caller is a member of (docs/search.md, "Adding MESSAGE").
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
