using GraphQLParser.AST;

namespace EventStore.GraphQL.Transport.Limits;

/// <summary>
/// What one document asks for, counted on the parsed syntax tree before validation: aliases, selected fields and depth,
/// with every fragment counted where it is spread (so a fragment spread a thousand times costs a thousand times). Linear
/// in the size of the document: GraphQL.NET's own validation compares fields pairwise, so an alias bomb has to be turned
/// away before it (docs/security.md#cost-caps).
/// </summary>
public readonly record struct DocumentCost(long Aliases, long Fields, int Depth)
{
    public static DocumentCost Of(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }

        var walker = new Walker(fragments);
        var total = new DocumentCost(0, 0, 0);
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            total = total.Add(walker.Cost(operation.SelectionSet), 1);
        }

        return total;
    }

    private DocumentCost Add(DocumentCost other, long times) => new(
        Saturating(Aliases + Saturating(other.Aliases * times)),
        Saturating(Fields + Saturating(other.Fields * times)),
        Math.Max(Depth, other.Depth));

    /// <summary>Counts stay far below overflow even for a fragment bomb (fragments spreading fragments many times).</summary>
    private static long Saturating(long value) => value is < 0 or > int.MaxValue ? int.MaxValue : value;

    private sealed class Walker(Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private readonly Dictionary<string, DocumentCost> _fragmentCosts = new(StringComparer.Ordinal);
        private readonly HashSet<string> _visiting = new(StringComparer.Ordinal);

        public DocumentCost Cost(GraphQLSelectionSet? selectionSet)
        {
            var cost = new DocumentCost(0, 0, 0);
            if (selectionSet is null)
            {
                return cost;
            }

            foreach (var selection in selectionSet.Selections)
            {
                cost = selection switch
                {
                    GraphQLField field => cost.Add(Field(field), 1),
                    GraphQLInlineFragment inline => cost.Add(Cost(inline.SelectionSet), 1),
                    GraphQLFragmentSpread spread => cost.Add(Fragment(spread.FragmentName.Name.StringValue), 1),
                    _ => cost,
                };
            }

            return cost;
        }

        private DocumentCost Field(GraphQLField field)
        {
            var children = Cost(field.SelectionSet);
            return new DocumentCost(children.Aliases + (field.Alias is null ? 0 : 1), children.Fields + 1, children.Depth + 1);
        }

        /// <summary>Each fragment is walked once; an unknown or cyclic one costs nothing here (validation reports it).</summary>
        private DocumentCost Fragment(string name)
        {
            if (_fragmentCosts.TryGetValue(name, out var known))
            {
                return known;
            }

            if (!fragments.TryGetValue(name, out var fragment) || !_visiting.Add(name))
            {
                return new DocumentCost(0, 0, 0);
            }

            var cost = Cost(fragment.SelectionSet);
            _visiting.Remove(name);
            _fragmentCosts[name] = cost;
            return cost;
        }
    }
}
