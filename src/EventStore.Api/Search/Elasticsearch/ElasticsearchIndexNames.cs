using System.Globalization;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// The names the app gives things in Elasticsearch, all derived from `Elasticsearch:Index`:
/// <list type="bullet">
/// <item><see cref="ReadAlias"/> (<c>&lt;Index&gt;</c>): what searches read; it points at one complete index.</item>
/// <item><see cref="WriteAlias"/> (<c>&lt;Index&gt;-write</c>): where the indexer writes. The same index as the read alias,
/// except during a rebuild, when it points at the new index being filled.</item>
/// <item>concrete indices, <c>&lt;Index&gt;-v&lt;mappings version&gt;-&lt;yyyyMMddHHmmssfff&gt;</c>, matched by the template's
/// <see cref="Pattern"/>. The version says which <see cref="ElasticsearchMappings"/> built it.</item>
/// </list>
/// </summary>
public sealed class ElasticsearchIndexNames(string alias)
{
    public string ReadAlias { get; } = alias;

    public string WriteAlias { get; } = alias + "-write";

    public string Pattern { get; } = alias + "-*";

    public string Template => ReadAlias;

    public string NewIndex(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"{ReadAlias}-v{ElasticsearchMappings.Version}-{now.UtcDateTime:yyyyMMddHHmmssfff}");

    /// <summary>True when <paramref name="index"/> was built with the current <see cref="ElasticsearchMappings.Version"/>.</summary>
    public bool IsCurrent(string index) =>
        index.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{ReadAlias}-v{ElasticsearchMappings.Version}-"), StringComparison.Ordinal);
}
