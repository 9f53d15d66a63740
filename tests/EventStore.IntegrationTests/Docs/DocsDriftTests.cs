using System.Text.RegularExpressions;
using EventStore.IntegrationTests.Api;

namespace EventStore.IntegrationTests.Docs;

/// <summary>Docs that could drift from the files they describe, checked against those files (no host, no database).</summary>
public sealed partial class DocsDriftTests
{
    private static readonly string Root = SchemaSnapshotTests.RepositoryRoot();

    [Fact]
    public void the_readme_compose_section_names_every_service_of_docker_compose()
    {
        var compose = File.ReadAllLines(Path.Combine(Root, "docker-compose.yml"));
        var services = compose.SkipWhile(l => l != "services:").Skip(1).TakeWhile(l => l.Length == 0 || l.StartsWith(' ') || l.StartsWith('#'))
            .Select(l => ServiceLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var start = readme.IndexOf("## Docker compose", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        Assert.Contains("kafka", services);
        Assert.Contains("elasticsearch", services);
        Assert.All(services, service => Assert.True(section.Contains(service, StringComparison.OrdinalIgnoreCase),
            $"The README's compose section does not mention the service '{service}' of docker-compose.yml."));
    }

    [Fact]
    public void the_docs_state_no_test_counts_that_would_go_stale()
    {
        var stale = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md"))
            .SelectMany(file => TestCount().Matches(File.ReadAllText(file)).Select(m => $"{Path.GetFileName(file)}: {m.Value}"))
            .ToList();

        Assert.True(stale.Count == 0, "Test counts go stale with the next test; say what is tested instead:\n" + string.Join("\n", stale));
    }

    [GeneratedRegex(@"^  ([a-z][a-z0-9-]*):\s*$")]
    private static partial Regex ServiceLine();

    [GeneratedRegex(@"\b\d[\d,]*\s+(?:integration\s+|unit\s+|passing\s+|green\s+)?tests\b", RegexOptions.IgnoreCase)]
    private static partial Regex TestCount();
}
