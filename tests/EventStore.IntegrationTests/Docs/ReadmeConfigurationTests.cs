using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using EventStore.GraphQL.Transport;
using EventStore.GraphQL.Transport.WebSockets;
using EventStore.IntegrationTests.Api;

namespace EventStore.IntegrationTests.Docs;

/// <summary>
/// The README's configuration table checked against the code (no host, no database):
/// <list type="bullet">
/// <item>every key of an options class (a type with a `SectionName` constant, and the WebSocket options bound to `GraphQL`)
/// is in the table, or under a `Section:*` the README sends to another page that names the key;</item>
/// <item>every key the table names exists: a property of an options class, or a key the source reads by name.</item>
/// </list>
/// </summary>
public sealed partial class ReadmeConfigurationTests
{
    private static readonly string Root = SchemaSnapshotTests.RepositoryRoot();

    [Fact]
    public void every_bound_setting_is_in_the_readme_table_or_on_the_page_it_points_to()
    {
        var table = TableKeys();
        var delegated = Delegations(File.ReadAllText(Path.Combine(Root, "README.md")));
        var docs = string.Join("\n", Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(File.ReadAllText));

        var missing = OptionKeys().Where(key =>
                !table.Any(row => Covers(row, key))
                && !(delegated.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal)) && docs.Contains(Leaf(key), StringComparison.Ordinal)))
            .ToList();

        Assert.True(missing.Count == 0, "Settings missing from the README's configuration table:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void every_key_the_readme_table_names_exists()
    {
        var options = OptionKeys();
        var source = string.Join("\n", Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        var unknown = TableKeys().Where(row => !row.EndsWith(":*", StringComparison.Ordinal) && !row.Contains('<', StringComparison.Ordinal)
                && !options.Any(key => Covers(row, key))
                && !source.Contains('"' + row + '"', StringComparison.Ordinal)
                && !source.Contains("\":" + Leaf(row) + '"', StringComparison.Ordinal) // SectionName + ":Key"
                && !External(row))
            .ToList();

        Assert.True(unknown.Count == 0, "README configuration keys the code does not read:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void the_table_is_found_and_holds_the_options_keys() => Assert.True(TableKeys().Count >= 50 && OptionKeys().Count >= 50);

    /// <summary>Read by ASP.NET Core, .NET logging or Npgsql themselves, or by name with a constant built from parts.</summary>
    private static bool External(string key) =>
        key is "ASPNETCORE_URLS" || key.StartsWith("Logging:", StringComparison.Ordinal) || key.StartsWith("ConnectionStrings:", StringComparison.Ordinal);

    /// <summary>Does a table key (exact, `Section:*`, or with a `&lt;placeholder&gt;` segment) cover <paramref name="key"/>?</summary>
    private static bool Covers(string row, string key)
    {
        if (row.EndsWith(":*", StringComparison.Ordinal))
        {
            return key.StartsWith(row[..^1], StringComparison.Ordinal);
        }

        var pattern = "^" + string.Join(":", row.Split(':').Select(s => s.StartsWith('<') ? "[^:]+" : Regex.Escape(s))) + "$";
        return Regex.IsMatch(key, pattern) || row == key;
    }

    private static string Leaf(string key) => key[(key.LastIndexOf(':') + 1)..];

    /// <summary>The keys in the first column of the README's table under "## Configuration"; short names take the row's prefix.</summary>
    public static IReadOnlyList<string> TableKeys()
    {
        var readme = File.ReadAllLines(Path.Combine(Root, "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("## Configuration", StringComparison.Ordinal));
        var keys = new List<string>();
        foreach (var line in readme.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cell = line.Split('|')[1];
            string? prefix = null;
            foreach (Match token in Code().Matches(cell))
            {
                var name = token.Groups[1].Value;
                if (name.StartsWith("…:", StringComparison.Ordinal) && prefix is not null)
                {
                    name = prefix + name[2..];
                }
                else if (!name.Contains(':', StringComparison.Ordinal) && prefix is not null)
                {
                    name = prefix + name;
                }

                if (name is "setting")
                {
                    continue;
                }

                prefix = name.Contains(':', StringComparison.Ordinal) ? name[..(name.LastIndexOf(':') + 1)] : prefix;
                keys.Add(name);
            }
        }

        return keys;
    }

    /// <summary>`Section:*` tokens anywhere in the README: the settings of that section are documented on another page.</summary>
    private static IReadOnlyList<string> Delegations(string readme) =>
        [.. readme.Split('\n').SelectMany(line => Code().Matches(line)).Select(m => m.Groups[1].Value)
            .Where(v => v.EndsWith(":*", StringComparison.Ordinal)).Select(v => v[..^1])];

    /// <summary>Section:Property for every options class, nested option objects flattened, dictionaries as Section:Property:&lt;key&gt;.</summary>
    public static IReadOnlySet<string> OptionKeys()
    {
        // The Api, the transport project (GraphQLOptions and the WebSocket options) and the domain.
        var assemblies = new[]
        {
            typeof(EventStore.Api.Telemetry.TelemetryOptions).Assembly, typeof(GraphQLOptions).Assembly,
            typeof(EventStore.Domain.Trading.TradingOptions).Assembly,
        };
        var sections = assemblies.SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            // ServingRoleSettings is read key by key (its properties are what it computes from them): the source check covers it.
            .Where(x => x.Section is not null && x.Type != typeof(EventStore.Api.Database.ServingRoleSettings)
                && x.Type.GetProperties().Any(p => p.CanWrite))
            .Append((Type: typeof(GraphQLWebSocketOptions), Section: "GraphQL"))
            .Append((Type: typeof(EventStore.Api.Telemetry.TelemetryOptions), Section: EventStore.Api.Telemetry.TelemetryOptions.Section));
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (type, section) in sections)
        {
            Add(keys, section!, type, depth: 0);
        }

        return keys;
    }

    private static void Add(ISet<string> keys, string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic))
        {
            var key = prefix + ":" + property.Name;
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() is var g && (g == typeof(Dictionary<,>) || g == typeof(IDictionary<,>) || g == typeof(IReadOnlyDictionary<,>)))
            {
                var valueType = t.GetGenericArguments()[1];
                if (IsLeaf(valueType))
                {
                    keys.Add(key + ":<key>");
                }
                else
                {
                    Add(keys, key + ":<key>", valueType, depth + 1);
                }
            }
            else if (IsLeaf(t) || typeof(IEnumerable).IsAssignableFrom(t) || depth > 3)
            {
                keys.Add(key);
            }
            else
            {
                Add(keys, key, t, depth + 1);
            }
        }
    }

    private static bool IsLeaf(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset)
        || t == typeof(Uri) || t == typeof(Guid) || t == typeof(TimeOnly);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
