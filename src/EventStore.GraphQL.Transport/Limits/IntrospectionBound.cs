using System.Globalization;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Errors.Custom;
using GraphQLParser.AST;

namespace EventStore.GraphQL.Transport.Limits;

/// <summary>
/// The depth and complexity caps, applied in GraphQL.NET's complexity analyzer. An operation whose root fields are all
/// introspection (`__schema`, `__type`, `__typename`) is held to the introspection caps instead of the ordinary ones:
/// the query graphql-js, GraphiQL, Apollo and code generators send (`getIntrospectionQuery`, every option on) is 15
/// levels deep and costs far more than <see cref="GraphQLOptions.MaxComplexity"/>, while it only reads the schema held in
/// memory. Any other operation, even one that mixes data fields with `__schema`, keeps the ordinary caps
/// (docs/api.md#introspection).
/// </summary>
public static class IntrospectionBound
{
    public static void Configure(ComplexityOptions complexity, GraphQLOptions limits)
    {
        // Checked below, per operation, instead of once for all.
        complexity.MaxDepth = null;
        complexity.MaxComplexity = null;
        complexity.ValidateComplexityDelegate = context =>
        {
            var introspection = IsIntrospectionOnly(context.ValidationContext.Document, context.ValidationContext.Operation);
            var (maxDepth, maxComplexity) = introspection
                ? (limits.IntrospectionMaxDepth, limits.IntrospectionMaxComplexity)
                : (limits.MaxDepth, limits.MaxComplexity);
            var what = introspection ? "An introspection query" : "The query";
            context.Error = context.MaxDepth > maxDepth
                ? new ComplexityError(string.Create(CultureInfo.InvariantCulture,
                    $"{what} is too nested to execute: it is {context.MaxDepth} levels deep; at most {maxDepth} are allowed."))
                : context.TotalImpact > maxComplexity
                    ? new ComplexityError(string.Create(CultureInfo.InvariantCulture,
                        $"{what} is too complex to execute: its complexity is {context.TotalImpact:0}; at most {maxComplexity} is allowed."))
                    : null;
            return Task.CompletedTask;
        };
    }

    /// <summary>Every root field of the operation (through fragments too) is `__schema`, `__type` or `__typename`.</summary>
    public static bool IsIntrospectionOnly(GraphQLDocument? document, GraphQLOperationDefinition? operation)
    {
        if (document is null || operation is not { Operation: OperationType.Query })
        {
            return false;
        }

        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        return AllIntrospection(operation.SelectionSet) && any;

        bool AllIntrospection(GraphQLSelectionSet selectionSet)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        if (field.Name.StringValue is not ("__schema" or "__type" or "__typename"))
                        {
                            return false;
                        }

                        any = true;
                        break;
                    case GraphQLInlineFragment inline when !AllIntrospection(inline.SelectionSet):
                        return false;
                    case GraphQLFragmentSpread spread:
                        var name = spread.FragmentName.Name.StringValue;
                        if (!fragments.TryGetValue(name, out var fragment))
                        {
                            return false;
                        }

                        if (seen.Add(name) && !AllIntrospection(fragment.SelectionSet))
                        {
                            return false;
                        }

                        break;
                }
            }

            return true;
        }
    }
}
