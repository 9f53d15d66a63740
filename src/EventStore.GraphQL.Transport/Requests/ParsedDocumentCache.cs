using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.Requests;

/// <summary>
/// The parsed documents of the last `GraphQL:DocumentCacheSize` distinct query texts (least recently used out first;
/// 0 turns it off), so that the same text sent again is not parsed and literal-checked again. Only what depends on the
/// text alone is kept: the syntax tree that <see cref="DocumentParser"/> accepted. Everything that depends on the caller
/// or the variables still runs on every request, cached or not: the cost caps and the per-field rate limits
/// (Limits/OperationGate), our validation rules (authorization, input hygiene on variables, depth and complexity),
/// GraphQL.NET's coercion of the variables, and execution. A refused or unparsable text is never kept, nor a text over <see cref="MaxCachedLength"/>
/// characters. The schema is built once per process, so the text is the whole key (a new schema means a new process).
/// GraphQL.NET treats a document as read-only once parsed (its own document cache shares them the same way).
/// <para>
/// It also remembers which operations of a kept text passed GraphQL.NET's specification rules
/// (<see cref="DocumentValidator.CoreRules"/>: known fields and types, argument and variable positions, fragments...).
/// Those rules read the schema and the document and nothing else, so an operation that passed them once passes them
/// always: <see cref="ValidationRulesFor"/> then runs only the rules the host and the limits add (authorization, input
/// hygiene, depth and complexity, which read the caller and the variables), and GraphQL.NET still coerces and checks
/// every variable. An operation is recorded only after a request that ran it (<see cref="Record"/>: validation passed
/// in full); one that failed is validated in full again on every request.
/// </para>
/// </summary>
public sealed class ParsedDocumentCache(IOptions<GraphQLOptions> options, ITransportErrorFactory errors)
{
    public const int MaxCachedLength = 16 * 1024;

    private readonly int _capacity = options.Value.DocumentCacheSize;
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _gate = new();
    private long _hits;
    private long _specRulesSkipped;

    /// <summary>Requests answered from the cache since start (tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requests validated without the specification rules since start, their operation having passed them before.</summary>
    public long SpecRulesSkipped => Interlocked.Read(ref _specRulesSkipped);

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

            _entries[query] = _recency.AddFirst(new Entry(query, document));
            while (_entries.Count > _capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Query);
            }
        }
    }

    /// <summary>
    /// The rules to validate with: none of GraphQL.NET's own when this operation of this cached document passed them
    /// before (the host's and the limits' rules are added after this by GraphQL.NET's execution configuration);
    /// null, meaning all of them, otherwise.
    /// </summary>
    public IEnumerable<IValidationRule>? ValidationRulesFor(string query, GraphQLDocument? document, string? operationName)
    {
        if (document is null || !Passed(query, document, operationName))
        {
            return null;
        }

        Interlocked.Increment(ref _specRulesSkipped);
        return [];
    }

    /// <summary>After a request: an executed result passed validation in full, so its operation is recorded.</summary>
    public void Record(string query, GraphQLDocument? document, string? operationName, ExecutionResult result)
    {
        if (!result.Executed || document is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(query, out var node) && ReferenceEquals(node.Value.Document, document))
            {
                node.Value.PassedSpecRules.Add(operationName ?? "");
            }
        }
    }

    private bool Passed(string query, GraphQLDocument document, string? operationName)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(query, out var node) && ReferenceEquals(node.Value.Document, document)
                && node.Value.PassedSpecRules.Contains(operationName ?? "");
        }
    }

    /// <param name="PassedSpecRules">Operation names ("" for the anonymous one) that passed the specification rules.</param>
    private sealed record Entry(string Query, GraphQLDocument Document)
    {
        public HashSet<string> PassedSpecRules { get; } = new(StringComparer.Ordinal);
    }
}
