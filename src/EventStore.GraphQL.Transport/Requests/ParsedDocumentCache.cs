using GraphQL;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.Requests;

/// <summary>
/// The parsed documents of the last `GraphQL:DocumentCacheSize` distinct query texts (least recently used out first;
/// 0 turns it off), so that the same text sent again is not parsed and literal-checked again. Only what depends on the
/// text alone is kept: the syntax tree that <see cref="DocumentParser"/> accepted. Everything that depends on the caller
/// or the variables still runs on every request, cached or not: the cost caps and the per-field rate limits
/// (Limits/OperationGate), GraphQL.NET's validation with our rules (authorization, input hygiene on variables, depth and
/// complexity), and execution. A refused or unparsable text is never kept, nor a text over <see cref="MaxCachedLength"/>
/// characters. The schema is built once per process, so the text is the whole key (a new schema means a new process).
/// GraphQL.NET treats a document as read-only once parsed (its own document cache shares them the same way).
/// </summary>
public sealed class ParsedDocumentCache(IOptions<GraphQLOptions> options, ITransportErrorFactory errors)
{
    public const int MaxCachedLength = 16 * 1024;

    private readonly int _capacity = options.Value.DocumentCacheSize;
    private readonly Dictionary<string, LinkedListNode<(string Query, GraphQLDocument Document)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Query, GraphQLDocument Document)> _recency = new();
    private readonly Lock _gate = new();
    private long _hits;

    /// <summary>Requests answered from the cache since start (tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public async ValueTask<(GraphQLDocument? Document, ExecutionError? Refusal)> ParseAsync(string query, CancellationToken cancellationToken)
    {
        if (_capacity > 0 && TryGet(query) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return (cached, null);
        }

        var (document, refusal) = await DocumentParser.ParseAsync(query, errors, cancellationToken);
        if (_capacity > 0 && document is not null && refusal is null && query.Length <= MaxCachedLength)
        {
            Add(query, document);
        }

        return (document, refusal);
    }

    private GraphQLDocument? TryGet(string query)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(query, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Document;
        }
    }

    private void Add(string query, GraphQLDocument document)
    {
        lock (_gate)
        {
            if (_entries.ContainsKey(query))
            {
                return;
            }

            _entries[query] = _recency.AddFirst((query, document));
            while (_entries.Count > _capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Query);
            }
        }
    }
}
