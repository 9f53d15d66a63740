using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Microsoft.Extensions.Primitives;

namespace EventStore.GraphQL.Transport.Requests;

/// <summary>
/// Reads the GraphQL request parameters (`query`, `operationName`, `variables`, `extensions`) from a POST body, a GET
/// query string or a WebSocket `subscribe` payload, with one set of rules, so that nothing a client sends can make
/// the JSON layer throw past the transport: the JSON is parsed once with fixed limits, each parameter's type is
/// checked, and a failure is a sentence for the client (400 over HTTP, close 4400 over WebSocket), never an exception.
/// GraphQL.NET's own converter (InputsJsonConverter) then turns the checked `variables` into <see cref="Inputs"/>,
/// so their numbers keep its semantics (Int, then Long, BigInteger, Decimal or Double).
/// </summary>
public sealed class GraphQLRequestReader(IGraphQLTextSerializer serializer)
{
    /// <summary>
    /// Nesting of objects and arrays in one request, the envelope included. The deepest input of the schema needs fewer
    /// than 10 levels; System.Text.Json's default (64) is kept and stated here rather than made a setting.
    /// </summary>
    public const int MaxJsonDepth = 64;

    /// <summary>
    /// Characters of one number, in JSON or a GraphQL literal. No scalar of the schema holds more than 29 significant
    /// digits (Decimal); parsing a very long integer (BigInteger) costs more than linear time.
    /// </summary>
    public const int MaxNumberLength = 100;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowDuplicateProperties = false, // `{"a":1,"a":2}` means different things to different parsers: refuse it
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly string[] Parameters = ["query", "operationName", "variables", "extensions"];

    /// <summary>
    /// Parses one JSON text (a body, a WebSocket message, a GET parameter) within the limits; throws
    /// <see cref="JsonException"/> for anything else. Check the values with <see cref="CheckValues"/>.
    /// </summary>
    public static JsonDocument ParseJson(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            // RFC 8259 lets a parser ignore a leading byte order mark (Node's UTF-8 decoder, under graphql-http, drops it).
            return JsonDocument.Parse(utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8, JsonOptions);
        }
        catch (InvalidOperationException e)
        {
            // The duplicate-key check unescapes every key, and a key with a lone surrogate escape cannot be.
            throw new JsonException(InvalidText, e);
        }
    }

    /// <summary><see cref="ParseJson"/> and <see cref="CheckValues"/>; null with a sentence for the client on failure.</summary>
    public static JsonDocument? TryParseJson(ReadOnlyMemory<byte> utf8, out string? problem)
    {
        JsonDocument document;
        try
        {
            document = ParseJson(utf8);
        }
        catch (JsonException e)
        {
            // The exception's message is not a contract; its position is (none for a key found twice).
            var at = e.LineNumber is > 0 || e.BytePositionInLine is > 0
                ? $" at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}"
                : "";
            problem = $"Not valid JSON{at}: send one UTF-8 JSON value, nested at most {MaxJsonDepth} levels, without the same "
                + "key twice in an object.";
            return null;
        }

        problem = CheckValues(document.RootElement);
        if (problem is null)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    /// <summary>A POST body: one JSON object holding the parameters.</summary>
    public GraphQLRequest? FromBody(ReadOnlyMemory<byte> utf8, out string? problem)
    {
        using var document = TryParseJson(utf8, out problem);
        return document is null ? null : FromObject(document.RootElement, out problem);
    }

    /// <summary>A `subscribe` payload, or a parsed POST body.</summary>
    public GraphQLRequest? FromObject(JsonElement body, out string? problem)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            problem = "The request must be a JSON object: { \"query\": string, \"variables\"?: object, \"operationName\"?: string, \"extensions\"?: object }.";
            return null;
        }

        var query = Optional(body, "query");
        var operationName = Optional(body, "operationName");
        var variables = Optional(body, "variables");
        var extensions = Optional(body, "extensions");
        problem = query is not { ValueKind: JsonValueKind.String } || string.IsNullOrWhiteSpace(query.Value.GetString())
            ? "'query' must be a non-empty string."
            : operationName is { ValueKind: not JsonValueKind.String } ? "'operationName' must be a string or null."
            : variables is { ValueKind: not JsonValueKind.Object } ? "'variables' must be an object or null."
            : extensions is { ValueKind: not JsonValueKind.Object } ? "'extensions' must be an object or null."
            : null;
        return problem is null
            ? new GraphQLRequest
            {
                Query = query!.Value.GetString(),
                OperationName = operationName?.GetString(),
                Variables = ToInputs(variables),
                Extensions = ToInputs(extensions),
            }
            : null;
    }

    /// <summary>A GET query string: `query` and `operationName` as text, `variables` and `extensions` as JSON.</summary>
    public GraphQLRequest? FromQueryString(IQueryCollection query, out string? problem)
    {
        foreach (var name in Parameters)
        {
            if (query[name].Count > 1)
            {
                problem = $"'{name}' is given more than once.";
                return null;
            }
        }

        var text = query["query"].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "The 'query' parameter is required.";
            return null;
        }

        var variables = JsonParameter(query["variables"], "variables", out problem);
        var extensions = problem is null ? JsonParameter(query["extensions"], "extensions", out problem) : null;
        return problem is null
            ? new GraphQLRequest
            {
                Query = text,
                OperationName = query["operationName"].ToString() is { Length: > 0 } operation ? operation : null,
                Variables = variables,
                Extensions = extensions,
            }
            : null;
    }

    private Inputs? JsonParameter(StringValues value, string name, out string? problem)
    {
        problem = null;
        if (StringValues.IsNullOrEmpty(value))
        {
            return null;
        }

        using var document = TryParseJson(System.Text.Encoding.UTF8.GetBytes(value.ToString()), out problem);
        if (document is null)
        {
            problem = $"'{name}': {problem}";
            return null;
        }

        var element = document.RootElement;
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            problem = $"'{name}' must be a JSON object.";
            return null;
        }

        return ToInputs(element.ValueKind == JsonValueKind.Null ? null : element);
    }

    /// <summary>A parameter's value; absent and JSON null are the same (the GraphQL-over-HTTP spec).</summary>
    private static JsonElement? Optional(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    // The element has passed CheckValues: no duplicate keys, no number too long, every string valid UTF-16.
    private Inputs? ToInputs(JsonElement? element) => element is { } value ? serializer.ReadNode<Inputs>(value) : null;

    /// <summary>What System.Text.Json's parser accepts but a GraphQL request must not carry; null when none.</summary>
    public static string? CheckValues(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if ((IsText(() => property.Name) ? CheckValues(property.Value) : InvalidText) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (CheckValues(item) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return element.GetRawText().Length > MaxNumberLength
                    ? $"A number has more than {MaxNumberLength} characters."
                    : null;
            case JsonValueKind.String:
                return IsText(element.GetString) ? null : InvalidText;
            default:
                return null;
        }
    }

    private const string InvalidText = "A string has an unpaired surrogate escape (\\uD800 to \\uDFFF).";

    // System.Text.Json reads such an escape but refuses to turn it into a .NET string.
    private static bool IsText(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
