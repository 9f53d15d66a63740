using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EventStore.UnitTests.Architecture;

/// <summary>
/// Which module folders of one project use which: a file's module is the first segment of its namespace after the
/// project's root namespace (<c>EventStore.Api.GraphQL.Audit</c> is in <c>GraphQL</c>), and a <c>using</c> directive
/// (plain, <c>static</c>, <c>global</c> or an alias) that names another module of the same project is an edge. The root
/// namespace itself (Program.cs, the composition root) is not a module: it may use every module, and naming it is no edge.
/// </summary>
internal sealed partial class ModuleGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    /// <summary>Every module seen, with or without edges.</summary>
    public SortedSet<string> Modules { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Targets(string module) =>
        _edges.TryGetValue(module, out var targets) ? targets.Keys : [];

    /// <summary>The files whose using directives make <paramref name="from"/> depend on <paramref name="to"/>.</summary>
    public IReadOnlyCollection<string> Files(string from, string to) =>
        _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var files) ? files : [];

    public void Add(string from, string to, string file)
    {
        Modules.Add(from);
        Modules.Add(to);
        if (!_edges.TryGetValue(from, out var targets))
        {
            _edges[from] = targets = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        }

        if (!targets.TryGetValue(to, out var files))
        {
            targets[to] = files = new SortedSet<string>(StringComparer.Ordinal);
        }

        files.Add(file);
    }

    /// <summary>The graph of the project whose .csproj is <paramref name="csproj"/>; files are named relative to the repository.</summary>
    public static ModuleGraph ForProject(string csproj)
    {
        var folder = Path.GetDirectoryName(csproj)!;
        var graph = new ModuleGraph();
        foreach (var file in RepoFiles.CSharpFiles(folder))
        {
            graph.AddSource(RootNamespace(csproj), RepoFiles.FromRoot(file), File.ReadAllText(file));
        }

        return graph;
    }

    /// <summary>The project's &lt;RootNamespace&gt;, or its file name as MSBuild defaults it.</summary>
    public static string RootNamespace(string csproj) =>
        XDocument.Load(csproj).Descendants("RootNamespace").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
        ?? Path.GetFileNameWithoutExtension(csproj);

    /// <summary>Adds one source file's edges. A file without a namespace belongs to the root.</summary>
    public void AddSource(string rootNamespace, string file, string source)
    {
        var code = Comments().Replace(source, "");
        var declared = NamespaceDeclaration().Match(code);
        var from = declared.Success ? ModuleOf(rootNamespace, declared.Groups["name"].Value) : null;
        if (declared.Success && from is null)
        {
            return; // a namespace outside the project's root: not one of its modules
        }

        if (from is not null)
        {
            Modules.Add(from);
        }

        foreach (Match directive in UsingDirective().Matches(code))
        {
            var to = ModuleOf(rootNamespace, directive.Groups["name"].Value);
            if (from is not null && to is not null && to != from)
            {
                Add(from, to, file);
            }
        }
    }

    /// <summary>The module of <paramref name="ns"/>: its first segment after the root; null for the root itself or another project.</summary>
    public static string? ModuleOf(string rootNamespace, string ns)
    {
        if (!ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }

        return ns[(rootNamespace.Length + 1)..].Split('.')[0];
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    // `using X.Y;`, `using static X.Y.Z;`, `global using X;`, `using Alias = X.Y.Z;` (generic aliases too); not
    // `using var x = ...;` or `using (...)` statements, which never end in a bare dotted name.
    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:@?\w+\s*=\s*)?(?<name>[\w.]+)\s*(?:<[^;\n]*>)?\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();
}
