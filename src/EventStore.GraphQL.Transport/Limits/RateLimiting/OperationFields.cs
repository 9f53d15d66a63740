using GraphQL;
using GraphQLParser.AST;

namespace EventStore.GraphQL.Transport.Limits.RateLimiting;

/// <summary>One root field of the operation about to run: what the rate limits count (every alias is one).</summary>
public sealed record RootField(GraphQLField Node, string Name, string? Username);

/// <summary>The root fields of the operation a request selects, fragments at the root expanded.</summary>
public static class OperationFields
{
    /// <summary>
    /// The root fields; an auth field (<see cref="GraphQLTransportOptions.AuthFields"/>) with the username it names,
    /// normalized by <see cref="GraphQLTransportOptions.NormalizeUsername"/>.
    /// </summary>
    public static IReadOnlyList<RootField> Of(GraphQLDocument document, string? operationName, Inputs? variables,
        GraphQLTransportOptions transport)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
        if (operation is null)
        {
            return []; // validation refuses the document; nothing runs
        }

        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var fields = new List<RootField>();
        Collect(operation.SelectionSet, fragments, variables, transport, fields, new HashSet<string>(StringComparer.Ordinal));
        return fields;
    }

    private static void Collect(GraphQLSelectionSet selectionSet, Dictionary<string, GraphQLFragmentDefinition> fragments,
        Inputs? variables, GraphQLTransportOptions transport, List<RootField> fields, HashSet<string> spread)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    var name = field.Name.StringValue;
                    fields.Add(new RootField(field, name, transport.AuthFields.Contains(name) ? Username(field, variables, transport) : null));
                    break;
                case GraphQLInlineFragment inline:
                    Collect(inline.SelectionSet, fragments, variables, transport, fields, spread);
                    break;
                case GraphQLFragmentSpread fragmentSpread
                    when fragments.TryGetValue(fragmentSpread.FragmentName.Name.StringValue, out var fragment)
                        && spread.Add(fragment.FragmentName.Name.StringValue):
                    Collect(fragment.SelectionSet, fragments, variables, transport, fields, spread);
                    break;
            }
        }
    }

    /// <summary>`input.username`, given inline or through variables; trimmed and lower-cased as usernames compare.</summary>
    private static string? Username(GraphQLField field, Inputs? variables, GraphQLTransportOptions transport)
    {
        var input = field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == "input")?.Value;
        object? username = input switch
        {
            GraphQLObjectValue inline => inline.Fields?.FirstOrDefault(f => f.Name.StringValue == "username")?.Value switch
            {
                GraphQLStringValue text => text.Value.ToString(),
                GraphQLVariable variable => Variable(variables, variable.Name.StringValue),
                _ => null,
            },
            GraphQLVariable variable => Variable(variables, variable.Name.StringValue) is IDictionary<string, object?> value
                && value.TryGetValue("username", out var inner) ? inner : null,
            _ => null,
        };
        return username is string name && transport.NormalizeUsername(name) is { Length: > 0 } normalized ? normalized : null;
    }

    private static object? Variable(Inputs? variables, string name) =>
        variables is not null && variables.TryGetValue(name, out var value) ? value : null;
}
