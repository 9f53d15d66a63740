using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Values for the fuzz, as GraphQL literals and as JSON variables: mostly of the right type (so that validation passes
/// and resolvers, validators and the database see them), some of the wrong one, some hostile (boundaries, huge
/// numbers, deep nesting, long strings, odd Unicode).
/// </summary>
internal sealed partial class FuzzValues(SchemaModel schema, Random random)
{
    private static readonly string[] Strings =
    [
        "", "a", "AAPL", "MSFT", "alice", "root-admin", "x@example.com", "correct horse battery staple", "0", "-1", "null",
        "UserProfile", "Ωμέγα", "😀👍", "\u202Eevil", "'; drop table mt_events; --", "<script>alert(1)</script>", "\\", "\"",
        "line\nbreak", "tab\there", "%s%s%n", "${jndi:ldap://127.0.0.1/x}", "@assistant hello", "+14155550100",
        "01a20c0a-0000-7000-8000-000000000000", "not-a-uuid", "2026-12-04T10:00:00Z", "GTC", "BUY", " ",
        new string('a', 300), new string('ß', 5000), "a\u0001b", "a\u0000b", "\u0000",
    ];

    private static readonly string[] Ints = ["0", "1", "2", "20", "100", "-1", "101", "2147483647", "-2147483648"];

    private static readonly string[] BadInts =
        ["2147483648", "-2147483649", "9223372036854775808", "1.5", "1e3", "\"1\"", "true", "1" + new string('0', 99), "1" + new string('0', 100)];

    private static readonly string[] Decimals =
        ["1", "100", "10.5", "0.01", "1000000", "123.456", "-5", "0", "1e2", "\"12.5\"", "0.00000001"];

    private static readonly string[] BadDecimals =
        ["1e400", "-1e400", "1e-400", "79228162514264337593543950336", "\"abc\"", "true", "[1]", "1.5e308"];

    private static readonly string[] Floats = ["0.5", "1", "-3.25", "1e10", "1e308", "1e309", "5e-324"];

    public string RandomString() => random.Next(20) == 0 ? LoneSurrogate() : Strings[random.Next(Strings.Length)];

    /// <summary>A GraphQL literal for <paramref name="type"/>: valid with probability <paramref name="validity"/>.</summary>
    public string Literal(TypeRef type, double validity, int depth = 0)
    {
        var valid = random.NextDouble() < validity;
        if (!valid && random.Next(6) == 0)
        {
            return Hostile();
        }

        switch (type)
        {
            case NonNullType nonNull:
                return !valid && random.Next(3) == 0 ? "null" : Literal(nonNull.Inner, valid ? 1 : 0.5, depth);
            case ListType list:
                if (valid && random.Next(4) == 0)
                {
                    return Literal(list.Item, 1, depth); // a single value coerces to a list of one
                }

                var items = Enumerable.Range(0, random.Next(4)).Select(_ => Literal(list.Item, valid ? 1 : 0.6, depth));
                return valid || random.Next(2) == 0 ? $"[{string.Join(", ", items)}]" : $"[[{string.Join(", ", items)}]]";
            case NamedType named when schema.Inputs.TryGetValue(named.Name, out var fields):
                if (depth > 4)
                {
                    return "{}";
                }

                var parts = new List<string>();
                foreach (var field in fields)
                {
                    var required = field.Type is NonNullType && !field.HasDefault;
                    if ((required && (valid || random.Next(3) > 0)) || random.Next(2) == 0)
                    {
                        parts.Add($"{field.Name}: {Literal(field.Type, valid ? 1 : 0.7, depth + 1)}");
                    }
                }

                if (!valid && random.Next(3) == 0)
                {
                    parts.Add($"unknownField{random.Next(3)}: 1");
                }

                return !valid && random.Next(5) == 0 ? Scalar("String", true) : "{" + string.Join(", ", parts) + "}";
            case NamedType named when schema.Enums.TryGetValue(named.Name, out var values):
                return valid
                    ? values[random.Next(values.Count)]
                    : random.Next(3) switch { 0 => $"\"{values[0]}\"", 1 => values[0].ToLowerInvariant(), _ => "NOT_A_VALUE" };
            case NamedType named:
                return Scalar(named.Name, valid);
            default:
                throw new NotSupportedException(type.ToString());
        }
    }

    /// <summary>A JSON value for a variable of <paramref name="type"/>: valid with probability <paramref name="validity"/>.</summary>
    public JsonNode? Json(TypeRef type, double validity, int depth = 0)
    {
        var valid = random.NextDouble() < validity;
        if (!valid && random.Next(6) == 0)
        {
            return HostileJson();
        }

        switch (type)
        {
            case NonNullType nonNull:
                return !valid && random.Next(3) == 0 ? null : Json(nonNull.Inner, valid ? 1 : 0.5, depth);
            case ListType list:
                var array = new JsonArray();
                for (var i = random.Next(4); i > 0; i--)
                {
                    array.Add(Json(list.Item, valid ? 1 : 0.6, depth));
                }

                return valid || random.Next(2) == 0 ? array : new JsonArray(array);
            case NamedType named when schema.Inputs.TryGetValue(named.Name, out var fields):
                var json = new JsonObject();
                foreach (var field in fields)
                {
                    var required = field.Type is NonNullType && !field.HasDefault;
                    if (depth <= 4 && ((required && (valid || random.Next(3) > 0)) || random.Next(2) == 0))
                    {
                        json[field.Name] = Json(field.Type, valid ? 1 : 0.7, depth + 1);
                    }
                }

                if (!valid && random.Next(3) == 0)
                {
                    json["unknownField"] = true;
                }

                return !valid && random.Next(5) == 0 ? JsonValue.Create(RandomString()) : json;
            case NamedType named when schema.Enums.TryGetValue(named.Name, out var values):
                return JsonValue.Create(valid ? values[random.Next(values.Count)] : random.Next(2) == 0 ? "NOT_A_VALUE" : values[0].ToLowerInvariant());
            case NamedType named:
                // A scalar literal is JSON too (GraphQL's string escapes are JSON's), except a few (a variable reference).
                // System.Text.Json cannot write an escaped lone surrogate: those reach JSON through the byte mutations.
                var literal = Scalar(named.Name, valid);
                return IsJson(literal) && !LoneSurrogateEscape().IsMatch(literal) ? JsonNode.Parse(literal) : JsonValue.Create(literal);
            default:
                throw new NotSupportedException(type.ToString());
        }
    }

    private string Scalar(string type, bool valid) => (type, valid) switch
    {
        ("Int", true) => Pick(Ints),
        ("Int", false) => Pick(BadInts),
        ("Float", _) => valid ? Pick(Floats) : Pick(["\"x\"", "true", "1e999"]),
        ("Decimal", true) => Pick(Decimals),
        ("Decimal", false) => Pick(BadDecimals),
        ("Long", _) => valid ? Pick(["0", "1", "9223372036854775807", "-42"]) : Pick(["9223372036854775808", "1.5", "\"x\""]),
        ("Boolean", _) => valid ? Pick(["true", "false"]) : Pick(["1", "\"true\"", "null"]),
        ("ID", _) => valid ? Pick([Quote(RandomGuid().ToString()), Quote(RandomString()), "123"]) : Pick(["true", "1.5", "[1]"]),
        ("DateTimeOffset", _) => valid
            ? Pick(["\"2026-12-04T10:00:00Z\"", "\"2026-12-04T10:00:00+05:30\"", "\"0001-01-01T00:00:00Z\""])
            : Pick(["\"yesterday\"", "\"2026-13-45T99:00:00Z\"", "12"]),
        ("DateOnly", _) => valid ? Pick(["\"2026-12-04\"", "\"1970-01-01\""]) : Pick(["\"2026-02-30\"", "\"x\"", "5"]),
        (_, true) => Quote(RandomString()),
        _ => Pick(["12", "true", "1.5", "{}"]),
    };

    /// <summary>Values no type accepts, or that stress the parser: deep nesting, huge numbers, long strings, unknown variables.</summary>
    private string Hostile() => random.Next(7) switch
    {
        0 => new string('[', random.Next(10, 90)) + "1" + new string(']', random.Next(10, 90)),
        1 => string.Concat(Enumerable.Repeat("{a: ", 20)) + "1" + new string('}', 20),
        2 => new string('9', random.Next(20, 160)),
        3 => "1e" + new string('9', random.Next(3, 12)),
        4 => Quote(new string('x', random.Next(1_000, 20_000))),
        5 => "$undefinedVariable",
        _ => LoneSurrogate(),
    };

    private JsonNode? HostileJson() => random.Next(5) switch
    {
        0 => JsonNode.Parse(Nested(random.Next(10, 62))), // deeper than 64 is made by the byte mutations
        1 => JsonNode.Parse(new string('9', random.Next(20, 160))),
        2 => JsonNode.Parse("1e" + random.Next(300, 400).ToString(CultureInfo.InvariantCulture)),
        3 => JsonValue.Create(new string('y', random.Next(1_000, 20_000))),
        _ => JsonValue.Create(RandomString()),
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"\\u[dD][89a-fA-F]")]
    private static partial System.Text.RegularExpressions.Regex LoneSurrogateEscape();

    private static string Nested(int depth) => new string('[', depth) + "1" + new string(']', depth);

    private string LoneSurrogate() => random.Next(2) == 0 ? "\"\\ud800\"" : "\"a\\udfffb\"";

    private string Pick(string[] values) => values[random.Next(values.Length)];

    // From the seeded generator, so that a run can be repeated.
    private Guid RandomGuid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static bool IsJson(string text)
    {
        try
        {
            JsonNode.Parse(text);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>A GraphQL string literal; control characters and unpaired surrogates as `\u` escapes.</summary>
    public static string Quote(string value)
    {
        if (value.StartsWith('"') && value.EndsWith('"') && value.Length > 1 && value.Contains("\\u", StringComparison.Ordinal))
        {
            return value; // already a literal (a lone-surrogate escape)
        }

        var text = new StringBuilder("\"");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case < ' ':
                    text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    if (paired)
                    {
                        text.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
