using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Validation;
using EventStore.IntegrationTests.Infrastructure;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// Every String input of the running schema (argument or input object field, lists included) declares its rule: one
/// line or several, and a maximum length (TextInputs). A new field that forgets it fails here rather than living on the
/// 256-character default. The limits table of docs/api.md is checked against the schema both ways.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class InputHygieneSchemaTests(AppFixture app)
{
    [Fact]
    public void every_string_input_declares_its_text_rule()
    {
        var undeclared = StringInputs().Where(x => x.Rule is null).Select(x => x.Position).ToList();

        Assert.True(undeclared.Count == 0,
            "These String inputs declare no text rule; add .SingleLine(max) or .MultiLine(max) (docs/api.md, Input hygiene):\n"
            + string.Join("\n", undeclared));
    }

    [Fact]
    public async Task the_limits_table_of_the_api_docs_matches_the_schema()
    {
        var expected = StringInputs().Where(x => x.Rule is not null).Select(x => Row(x.Position, x.Rule!.Value))
            .Order(StringComparer.Ordinal).ToList();
        var docs = await File.ReadAllLinesAsync(Path.Combine(SchemaSnapshotTests.RepositoryRoot(), "docs", "api.md"));
        var documented = docs.SkipWhile(l => l != "<!-- input-limits:start -->").TakeWhile(l => l != "<!-- input-limits:end -->")
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        Assert.True(expected.SequenceEqual(documented),
            "docs/api.md's input limits table differs from the schema. The rows should be:\n" + string.Join("\n", expected));
    }

    private static string Row(string position, TextRule rule) =>
        $"| `{position}` | {(rule.MultiLine ? "multi-line" : "one line")} | {rule.MaxLength} |";

    private IEnumerable<(string Position, TextRule? Rule)> StringInputs()
    {
        var schema = app.Host.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        foreach (var type in schema.AllTypes.Where(t => !t.Name.StartsWith("__", StringComparison.Ordinal)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            switch (type)
            {
                case IInputObjectGraphType input:
                    foreach (var field in input.Fields.Where(f => IsString(f.ResolvedType)))
                    {
                        yield return ($"{input.Name}.{field.Name}", field.DeclaredTextRule());
                    }

                    break;
                case IComplexGraphType output:
                    foreach (var field in output.Fields)
                    {
                        foreach (var argument in field.Arguments?.Where(a => IsString(a.ResolvedType)) ?? [])
                        {
                            yield return ($"{output.Name}.{field.Name}({argument.Name})", argument.DeclaredTextRule());
                        }
                    }

                    break;
            }
        }
    }

    private static bool IsString(IGraphType? type) => type?.GetNamedType() is StringGraphType;
}
