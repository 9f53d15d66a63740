using EventStore.Contracts;
using NJsonSchema;

namespace EventStore.IntegrationTests.Integration;

/// <summary>The JSON Schemas under schemas/events/, one per contract, named by the wire type (trading.order-filled.v1.json).</summary>
public static class EventSchemas
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "schemas", "events");

    public static async Task<JsonSchema> ForAsync(string messageType) =>
        await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(Directory, messageType + ".json")));

    /// <summary>Fails with every violation when <paramref name="json"/> does not match the schema of <paramref name="messageType"/>.</summary>
    public static async Task AssertValidAsync(string messageType, string json)
    {
        var errors = (await ForAsync(messageType)).Validate(json);
        Assert.True(errors.Count == 0, $"{messageType} does not match its schema: {string.Join("; ", errors)}\n{json}");
    }

    public static string TypeName(Type contract) => IntegrationContracts.Describe(contract).TypeName;

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventStore.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("EventStore.sln not found above the test output.");
    }
}
