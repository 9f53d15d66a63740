using System.Text;
using System.Text.Json.Nodes;

namespace EventStore.IntegrationTests.Api.Malformed;

internal sealed record FuzzRequest(string Query, JsonObject? Variables, string? OperationName)
{
    public JsonObject ToJson() => new()
    {
        ["query"] = Query,
        ["variables"] = Variables?.DeepClone(),
        ["operationName"] = OperationName,
    };

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToJson().ToJsonString());
}

/// <summary>
/// GraphQL operations built from the schema: real root fields and their arguments, as literals or as variables (with
/// the declared type, or now and then a wrong one), selections a few levels deep, and the usual slips: an unknown field
/// or argument, a missing selection, a variable never declared or declared and unused, a repeated operation name.
/// Nothing depends on data existing: ids are random, so commands fail their state checks, which is part of the test.
/// </summary>
internal sealed class DocumentGenerator(SchemaModel schema, Random random)
{
    private static readonly string[] Tokens = ["...", " fragment ", " on ", "\"\"\"", "$", " null ", " __typename ", "\\u0000", "\\ud800"];

    private readonly FuzzValues values = new(schema, random);

    private bool slips;

    public FuzzValues Values => values;

    /// <summary>
    /// An operation of the schema. With <paramref name="withSlips"/> it may have type errors and slips; without, it
    /// validates (values of the right type, every required argument) and so reaches resolvers, validators and handlers.
    /// </summary>
    private static readonly HashSet<string> SessionEnding = ["logout", "logoutEverywhere"];

    public FuzzRequest Next(bool withSlips = true)
    {
        slips = withSlips;
        var root = random.Next(100) switch { < 62 => "Query", < 92 => "Mutation", _ => "Subscription" };
        if (random.Next(25) == 0)
        {
            return Introspection();
        }

        var variables = new JsonObject();
        var definitions = new List<string>();
        var text = new StringBuilder();
        // Not the fields that end the fuzz's own sessions: its tokens must keep working (SessionTests covers them).
        var fields = schema.Objects[root].Where(f => !SessionEnding.Contains(f.Name)).ToList();
        var count = root == "Subscription" ? 1 : random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var field = fields[random.Next(fields.Count)];
            text.Append(i > 0 ? $" f{i}: " : " ").Append(field.Name);
            text.Append(Arguments(field.Arguments, variables, definitions));
            text.Append(Selection(field.Type, depth: 1, maxDepth: random.Next(1, 5)));
        }

        if (Slip(15))
        {
            text.Append(" notAField");
        }

        if (Slip(20))
        {
            definitions.Add($"$unused{random.Next(3)}: String");
        }

        if (random.Next(20) == 0)
        {
            variables["notDeclared"] = values.Json(new NamedType("String"), 0.5);
        }

        var name = random.Next(4) == 0 ? "Op" + random.Next(3) : null;
        var header = root.ToLowerInvariant() + (name is null ? "" : " " + name)
            + (definitions.Count > 0 ? "(" + string.Join(", ", definitions) + ")" : "");
        var query = (root == "Query" && name is null && definitions.Count == 0 && random.Next(2) == 0 ? "" : header + " ")
            + "{" + text + " }";
        if (Slip(30))
        {
            query += " fragment F on Query { __typename } query Other { ...F }"; // two operations: operationName decides
        }

        var operationName = !slips ? name : random.Next(8) switch { 0 => "Op" + random.Next(3), 1 => "Other", _ => name };
        return new FuzzRequest(query, variables.Count > 0 || random.Next(5) == 0 ? variables : null, operationName);
    }

    /// <summary>Text-level damage to a valid document: a character dropped, doubled or inserted.</summary>
    public string Damage(string query)
    {
        var text = new StringBuilder(query);
        for (var n = random.Next(1, 4); n > 0 && text.Length > 0; n--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Remove(at, 1);
                    break;
                case 1:
                    text.Insert(at, text[at]);
                    break;
                case 2:
                    text.Insert(at, "{}()[]:$@!=.,\"\\#|&"[random.Next(18)]);
                    break;
                default:
                    text.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
            }
        }

        return text.ToString();
    }

    private string Arguments(IReadOnlyList<InputValue> arguments, JsonObject variables, List<string> definitions)
    {
        var parts = new List<string>();
        foreach (var argument in arguments)
        {
            var required = argument.Type is NonNullType && !argument.HasDefault;
            if (!(required ? !Slip(12) : random.Next(5) < 2))
            {
                continue;
            }

            if (random.Next(2) == 0)
            {
                parts.Add($"{argument.Name}: {values.Literal(argument.Type, Validity(0.8))}");
                continue;
            }

            var variable = "v" + definitions.Count;
            var declared = Slip(10) ? WrongType(argument.Type) : argument.Type;
            definitions.Add($"${variable}: {declared}");
            if (!Slip(10))
            {
                variables[variable] = values.Json(argument.Type, Validity(0.75));
            }

            parts.Add($"{argument.Name}: ${variable}");
        }

        if (Slip(20))
        {
            parts.Add("unknownArgument: 1");
        }

        return parts.Count == 0 ? "" : "(" + string.Join(", ", parts) + ")";
    }

    private string Selection(TypeRef type, int depth, int maxDepth)
    {
        if (schema.IsLeaf(type.Named))
        {
            return Slip(25) ? " { id }" : "";
        }

        if (Slip(40))
        {
            return ""; // an object field without a selection
        }

        var fields = schema.Objects[type.Named];
        var leaves = fields.Where(f => schema.IsLeaf(f.Type.Named)).ToList();
        var picked = new List<string>();
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var field = depth < maxDepth || leaves.Count == 0 ? fields[random.Next(fields.Count)] : leaves[random.Next(leaves.Count)];
            if (!schema.IsLeaf(field.Type.Named) && depth >= maxDepth)
            {
                continue;
            }

            var alias = picked.Any(p => p.StartsWith(field.Name, StringComparison.Ordinal)) ? $"a{picked.Count}: " : "";
            var arguments = field.Arguments.Count > 0 && random.Next(2) == 0
                ? "(" + string.Join(", ", field.Arguments.Select(a => $"{a.Name}: {values.Literal(a.Type, Validity(0.8))}")) + ")"
                : "";
            picked.Add(alias + field.Name + arguments + Selection(field.Type, depth + 1, maxDepth));
        }

        if (picked.Count == 0)
        {
            picked.Add("__typename");
        }

        return " { " + string.Join(" ", picked) + " }";
    }

    private bool Slip(int oneIn) => slips && random.Next(oneIn) == 0;

    private double Validity(double withSlips) => slips ? withSlips : 1;

    private TypeRef WrongType(TypeRef type) => random.Next(3) switch
    {
        0 => new NamedType("String"),
        1 => new ListType(type),
        _ => type is NonNullType nonNull ? nonNull.Inner : new NonNullType(new NamedType("Int")),
    };

    private FuzzRequest Introspection() => new(random.Next(3) switch
    {
        0 => "{ __schema { queryType { name } types { name kind fields { name args { name type { name kind ofType { name } } } } } } }",
        1 => "query($n: String!) { __type(name: $n) { name fields { name } inputFields { name } enumValues { name } } }",
        _ => "{ __typename a: __typename __schema { directives { name } } }",
    }, new JsonObject { ["n"] = values.RandomString() }, null);
}
