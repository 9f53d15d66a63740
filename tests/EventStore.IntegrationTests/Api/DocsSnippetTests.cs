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
/// their declared types are checked). So does every GraphQL document embedded in another fenced block: a request body's
/// `"query": "..."` (curl walkthroughs, JSON) and a JavaScript client's `query: '...'`; and every operation in inline code in the
/// prose (`mutation { ... }`).
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
            var lines = File.ReadAllLines(path);
            var blocks = Fences(lines).ToList();
            foreach (var (_, body) in blocks.Where(b => b.Language == "graphql"))
            {
                yield return (Path.GetRelativePath(root, path), index++, body);
            }

            foreach (var (_, body) in blocks.Where(b => b.Language != "graphql"))
            {
                foreach (Match query in JsonQuery().Matches(body))
                {
                    yield return (Path.GetRelativePath(root, path), index++,
                        System.Text.Json.JsonSerializer.Deserialize<string>("\"" + query.Groups["q"].Value + "\"")!);
                }

                foreach (Match query in JsQuery().Matches(body))
                {
                    yield return (Path.GetRelativePath(root, path), index++, query.Groups["q"].Value);
                }
            }

            foreach (var line in Prose(lines))
            {
                foreach (Match query in InlineOperation().Matches(line))
                {
                    yield return (Path.GetRelativePath(root, path), index++, query.Groups["q"].Value);
                }
            }
        }
    }

    /// <summary>The fenced blocks of a Markdown file, in order: the word after the opening ``` and the lines up to the closing one.</summary>
    private static IEnumerable<(string Language, string Body)> Fences(string[] lines)
    {
        string? language = null;
        var body = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            if (!line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                body.Append(language is null ? "" : line + "\n");
                continue;
            }

            if (language is null)
            {
                language = line.TrimStart()[3..].Trim();
                body.Clear();
            }
            else
            {
                yield return (language, body.ToString());
                language = null;
            }
        }
    }

    /// <summary>The lines outside fenced blocks.</summary>
    private static IEnumerable<string> Prose(string[] lines)
    {
        var inside = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inside = !inside;
            }
            else if (!inside)
            {
                yield return line;
            }
        }
    }

    /// <summary>An operation in inline code in the prose: `mutation { ... }`, `query($id: ID!) { ... }`.</summary>
    [GeneratedRegex(@"`(?<q>(?:query|mutation|subscription)\b[^`]*\{[^`]*\})`")]
    private static partial Regex InlineOperation();

    /// <summary>`"query": "..."` in a JSON request body (JSON string escapes).</summary>
    [GeneratedRegex(@"""query""\s*:\s*""(?<q>(?:[^""\\]|\\.)*)""")]
    private static partial Regex JsonQuery();

    /// <summary>`query: '...'` in a JavaScript client call.</summary>
    [GeneratedRegex(@"\bquery:\s*'(?<q>[^']*)'")]
    private static partial Regex JsQuery();
}
