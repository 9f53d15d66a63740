using System.Text.Json.Nodes;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// The index template (composable, <c>PUT _index_template</c>): strict mappings so a malformed document is rejected,
/// not silently re-mapped. Text fields use a lower-casing, accent-folding analyzer; ids, types and readers are keywords
/// (exact filters).
/// </summary>
public static class ElasticsearchMappings
{
    public static JsonObject Template(string index) => new()
    {
        ["index_patterns"] = new JsonArray(index + "*"),
        ["priority"] = 200,
        ["template"] = new JsonObject
        {
            ["settings"] = new JsonObject
            {
                ["number_of_shards"] = 1,
                ["analysis"] = new JsonObject
                {
                    ["analyzer"] = new JsonObject
                    {
                        ["folding"] = new JsonObject
                        {
                            ["type"] = "custom", ["tokenizer"] = "standard", ["filter"] = new JsonArray("lowercase", "asciifolding"),
                        },
                    },
                },
            },
            ["mappings"] = new JsonObject
            {
                ["dynamic"] = "strict",
                ["properties"] = new JsonObject
                {
                    ["type"] = Keyword(), ["id"] = Keyword(), ["key"] = Keyword(), ["readers"] = Keyword(),
                    ["title"] = Text(), ["body"] = Text(), ["terms"] = Text(),
                    ["updatedAt"] = new JsonObject { ["type"] = "date" },
                },
            },
        },
    };

    private static JsonObject Keyword() => new() { ["type"] = "keyword" };

    private static JsonObject Text() => new() { ["type"] = "text", ["analyzer"] = "folding" };
}
