namespace EventStore.UnitTests.Architecture;

/// <summary>The repository's source files, read from disk: the root is the folder that holds EventStore.sln.</summary>
internal static class RepoFiles
{
    public const string Solution = "EventStore.sln";

    public static string Root { get; } = FindRoot();

    /// <summary>The .cs files under <paramref name="folder"/>, build output (bin, obj) left out, in a stable order.</summary>
    public static IReadOnlyList<string> CSharpFiles(string folder) =>
    [
        .. Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Relative(folder, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary><paramref name="path"/> relative to <paramref name="folder"/>, with '/' separators (for messages).</summary>
    public static string Relative(string folder, string path) => Path.GetRelativePath(folder, path);

    public static string FromRoot(string path) => Relative(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, Solution)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No {Solution} above {AppContext.BaseDirectory}: the architecture tests read the sources from the repository.");
    }
}
