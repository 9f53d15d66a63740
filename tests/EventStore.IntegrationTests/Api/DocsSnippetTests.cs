using System.Text.RegularExpressions;
using EventStore.IntegrationTests.Infrastructure;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// Docs that cannot drift: every ```graphql block in README.md and docs/*.md parses and validates against the running
/// schema (GraphQL.NET's own validation rules, each operation of a block on its own; variables are not supplied, so only
/// their declared types are checked).
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class DocsSnippetTests(AppFixture app)
{
    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, index, _) in AllSnippets())
        {
            data.Add(file, index);
        }

        return data;
    }

    [Fact]
    public void the_docs_have_graphql_examples_to_check() => Assert.True(AllSnippets().Count() >= 10);

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task every_graphql_block_in_the_docs_validates_against_the_schema(string file, int index)
    {
        var text = AllSnippets().Single(s => s.File == file && s.Index == index).Text;
        var schema = app.Host.Services.GetRequiredService<global::EventStore.Api.GraphQL.EventStoreSchema>();
        schema.Initialize();

        GraphQLDocument document;
        try
        {
            document = Parser.Parse(text);
        }
        catch (Exception e)
        {
            Assert.Fail($"{file} block {index} does not parse: {e.Message}\n{text}");
            return;
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        Assert.True(operations.Count > 0, $"{file} block {index} holds no operation:\n{text}");
        var problems = new List<string>();
        foreach (var operation in operations)
        {
            var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
            {
                Schema = schema,
                Document = document,
                Operation = operation,
                // A docs block may list several anonymous operations, one per example.
                Rules = DocumentValidator.CoreRules.Where(r => r is not global::GraphQL.Validation.Rules.LoneAnonymousOperation),
                UserContext = new Dictionary<string, object?>(),
                Variables = global::GraphQL.Inputs.Empty,
                Extensions = global::GraphQL.Inputs.Empty,
                RequestServices = app.Host.Services,
            });
            // Values of variables are the caller's, not the example's: only document errors count.
            problems.AddRange(result.Errors.Where(e => e is not global::GraphQL.Validation.InvalidVariableError)
                .Select(e => e.Message));
        }

        Assert.True(problems.Count == 0, $"{file} block {index}:\n{string.Join("\n", problems)}\n{text}");
    }

    private static IEnumerable<(string File, int Index, string Text)> AllSnippets()
    {
        var root = SchemaSnapshotTests.RepositoryRoot();
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        foreach (var path in files)
        {
            var index = 0;
            foreach (Match match in GraphQLBlock().Matches(File.ReadAllText(path)))
            {
                yield return (Path.GetRelativePath(root, path), index++, match.Groups["body"].Value);
            }
        }
    }

    [GeneratedRegex(@"^```graphql[ \t]*\r?\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex GraphQLBlock();
}
