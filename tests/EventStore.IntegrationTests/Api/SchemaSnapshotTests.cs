using EventStore.IntegrationTests.Infrastructure;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// The SDL under schemas/graphql/schema.graphql is the published contract. This test fails when the running schema
/// drifts from it; after an intended change, run `eng/update-schema.sh` (it sets UPDATE_SCHEMA_SNAPSHOT=1) and commit.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SchemaSnapshotTests(AppFixture app)
{
    [Fact]
    public async Task the_running_schema_matches_the_checked_in_sdl()
    {
        var schema = app.Host.Services.GetRequiredService<ISchema>();
        var printed = schema.Print().ReplaceLineEndings("\n").Trim() + "\n";
        var path = Path.Combine(RepositoryRoot(), "schemas", "graphql", "schema.graphql");

        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA_SNAPSHOT") == "1")
        {
            await File.WriteAllTextAsync(path, printed);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run eng/update-schema.sh");
        var checkedIn = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        Assert.True(checkedIn == printed,
            $"The GraphQL schema drifted from {path}. If the change is intended, run eng/update-schema.sh and commit the SDL.\n--- running schema ---\n{printed}");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventStore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EventStore.sln not found above " + AppContext.BaseDirectory);
    }
}
