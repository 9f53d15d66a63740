using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Api.Privacy;

/// <summary>
/// Builds, from the schema as introspection returns it, one query per root field selecting every field it can reach
/// (to a depth, without going round a type twice on one path), and reads the answers back field by field. Required
/// arguments come from <see cref="ArgumentValues"/>; a field whose required argument has no value is left out and
/// reported in <see cref="Skipped"/>.
/// </summary>
public sealed class SchemaWalk
{
    private const string TypeQuery = """
        query($name: String!) { __type(name: $name) { name kind fields { name type { ...Ref } } } }
        fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
        """;

    /// <summary>Arguments apart: only whether each is required matters here, and one query with both is too complex.</summary>
    private const string ArgumentsQuery = "query($name: String!) { __type(name: $name) { fields { name args { name type { kind } } } } }";

    /// <summary>
    /// The schema through standard introspection, one object type at a time: the whole schema in one query is more
    /// complex than a user's query may be.
    /// </summary>
    public static async Task<JsonObject> IntrospectAsync(Func<string, object?, Task<JsonNode>> query)
    {
        var top = await query("{ __schema { queryType { name } types { name kind } } }", null);
        var types = new JsonArray();
        foreach (var type in top["__schema"]!["types"]!.AsArray().Select(t => t!.AsObject()))
        {
            var complex = type.Str("kind") is "OBJECT" or "INTERFACE" && !type.Str("name").StartsWith("__", StringComparison.Ordinal);
            if (!complex)
            {
                types.Add(type.DeepClone());
                continue;
            }

            var full = (await query(TypeQuery, new { name = type.Str("name") }))["__type"]!.DeepClone().AsObject();
            var arguments = (await query(ArgumentsQuery, new { name = type.Str("name") }))["__type"]!["fields"]!.AsArray()
                .ToDictionary(f => f!.Str("name"), f => f!["args"]!.DeepClone());
            foreach (var field in full["fields"]!.AsArray())
            {
                field!["args"] = arguments[field.Str("name")];
            }

            types.Add(full);
        }

        return new JsonObject { ["queryType"] = top["__schema"]!["queryType"]!.DeepClone(), ["types"] = types };
    }

    private readonly Dictionary<string, JsonObject> _types;
    private readonly string _queryType;
    private readonly Func<string, string, string, string?> _argument;
    private readonly int _maxDepth;

    public SchemaWalk(JsonNode schema, Func<string, string, string, string?> argumentValue, int maxDepth = 6)
    {
        _types = schema["types"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => t.Str("name"));
        _queryType = schema["queryType"]!.Str("name");
        _argument = argumentValue;
        _maxDepth = maxDepth;
    }

    /// <summary>Fields left out because a required argument had no value: (type, field, argument).</summary>
    public HashSet<string> Skipped { get; } = [];

    public IEnumerable<string> RootFields => Fields(_queryType).Select(f => f.Str("name"));

    /// <summary>A selection: a field of a type (with its arguments in <paramref name="Head"/>), with its children when its type is an object.</summary>
    public sealed record Selection(string ParentType, string Field, string Head, IReadOnlyList<Selection> Children)
    {
        public string Text => Children.Count == 0 ? Head : $"{Head} {{ {string.Join(" ", Children.Select(c => c.Text))} }}";

        public string Query => "{ " + Text + " }";

        /// <summary>
        /// The same reach in smaller pieces, for a server that finds the whole too complex: one piece per child, each
        /// split further when it has a single child.
        /// </summary>
        public IEnumerable<Selection> Split() => Children.Count switch
        {
            0 => [],
            1 => Children[0].Split().Select(piece => this with { Children = [piece] }),
            _ => Children.Select(child => this with { Children = [child] }),
        };
    }

    /// <summary>The query for one root field, or null when it cannot be written (a required argument without a value).</summary>
    public Selection? QueryFor(string rootField) =>
        Select(_queryType, Fields(_queryType).Single(f => f.Str("name") == rootField), 1, [_queryType]);

    /// <summary>Every (type.field, value) the answer holds for the selection: a list field once with its whole list, then the fields of each item.</summary>
    public static IEnumerable<(string Field, JsonNode? Value, string Path)> Values(Selection selection, JsonNode? data, string path)
    {
        var value = data?[selection.Field];
        var here = $"{path}/{selection.Field}";
        yield return ($"{selection.ParentType}.{selection.Field}", value, here);
        foreach (var item in Flatten(value).OfType<JsonObject>())
        {
            foreach (var child in selection.Children)
            {
                foreach (var nested in Values(child, item, here))
                {
                    yield return nested;
                }
            }
        }
    }

    private static IEnumerable<JsonNode?> Flatten(JsonNode? value) =>
        value is JsonArray array ? array.SelectMany(Flatten) : [value];

    private Selection? Select(string parentType, JsonObject field, int depth, IReadOnlyList<string> path)
    {
        var name = field.Str("name");
        var arguments = new List<string>();
        foreach (var argument in field["args"]!.AsArray().Select(a => a!.AsObject()))
        {
            var required = argument["type"]!.Str("kind") == "NON_NULL";
            var literal = _argument(parentType, name, argument.Str("name"));
            if (literal is not null)
            {
                arguments.Add($"{argument.Str("name")}: {literal}");
            }
            else if (required)
            {
                Skipped.Add($"{parentType}.{name}({argument.Str("name")})");
                return null;
            }
        }

        var head = arguments.Count > 0 ? $"{name}({string.Join(", ", arguments)})" : name;

        var type = Named(field["type"]!);
        var kind = _types[type].Str("kind");
        if (kind is not ("OBJECT" or "INTERFACE"))
        {
            return new Selection(parentType, name, head, []);
        }

        if (depth >= _maxDepth || path.Contains(type))
        {
            return null;
        }

        var children = Fields(type).Select(f => Select(type, f, depth + 1, [.. path, type])).OfType<Selection>().ToList();
        if (children.Count == 0)
        {
            return null;
        }

        return new Selection(parentType, name, head, children);
    }

    private IEnumerable<JsonObject> Fields(string type) =>
        _types[type]["fields"]?.AsArray().Select(f => f!.AsObject()).Where(f => !f.Str("name").StartsWith("__", StringComparison.Ordinal))
        ?? [];

    private static string Named(JsonNode type) => type["ofType"] is JsonObject inner ? Named(inner) : type.Str("name");
}
