namespace EventStore.UnitTests.Architecture;

/// <summary>
/// A module folder may use another only one way (docs/architecture.md): a cycle between two folders means one of them
/// holds something that belongs to a third. Every project under src/ and projections/ is checked, new ones included.
/// </summary>
public sealed class FolderCycleTests
{
    private static readonly string[] ProjectFolders = ["src", "projections"];

    /// <summary>Every project under src/ and projections/, relative to the repository.</summary>
    public static IReadOnlyList<string> ProjectFiles() =>
    [
        .. ProjectFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepoFiles.Root, folder), "*.csproj", SearchOption.AllDirectories))
            .Select(RepoFiles.FromRoot)
            .Order(StringComparer.Ordinal),
    ];

    public static TheoryData<string> Projects() => new(ProjectFiles());

    [Theory]
    [MemberData(nameof(Projects))]
    public void no_module_folder_of_a_project_uses_a_folder_that_uses_it_back(string project)
    {
        var graph = ModuleGraph.ForProject(Path.Combine(RepoFiles.Root, project));

        var cycles = FolderCycles.Find(graph);

        Assert.True(cycles.Count == 0,
            $"{project}: {cycles.Count} cycle(s) between module folders (a folder is the first namespace segment after "
            + $"{ModuleGraph.RootNamespace(Path.Combine(RepoFiles.Root, project))}; an edge is a using directive):\n"
            + FolderCycles.Describe(graph, cycles));
    }

    [Fact]
    public void the_projects_checked_include_the_api_the_domain_and_the_projections()
    {
        var projects = ProjectFiles();

        Assert.Contains("src/EventStore.Api/EventStore.Api.csproj", projects);
        Assert.Contains("src/EventStore.Domain/EventStore.Domain.csproj", projects);
        Assert.Contains("projections/EventStore.Projections/EventStore.Projections.csproj", projects);
    }
}
