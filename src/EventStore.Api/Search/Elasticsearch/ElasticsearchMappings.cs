using Elastic.Clients.Elasticsearch.Analysis;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// The composable index template for every concrete search index: strict mappings, so a malformed document is rejected
/// rather than silently re-mapped. Text fields use a lower-casing, accent-folding analyzer; ids, types and readers are
/// keywords (exact filters). Mappings of an existing index cannot change: bump <see cref="Version"/> with any change
/// here and the next start builds a new index and swaps the alias to it (docs/search.md, "Rebuilding").
/// </summary>
public static class ElasticsearchMappings
{
    public const int Version = 1;

    private const string Folding = "folding";

    public static PutIndexTemplateRequest Template(ElasticsearchIndexNames names) => new(names.Template)
    {
        IndexPatterns = names.Pattern,
        Priority = 200,
        Meta = new Dictionary<string, object> { ["mappings_version"] = Version },
        Template = new IndexTemplateMapping
        {
            Settings = new IndexSettings
            {
                NumberOfShards = 1,
                Analysis = new IndexSettingsAnalysis
                {
                    Analyzers = new Analyzers { { Folding, new CustomAnalyzer { Tokenizer = "standard", Filter = ["lowercase", "asciifolding"] } } },
                },
            },
            Mappings = new TypeMapping
            {
                Dynamic = DynamicMapping.Strict,
                Properties = new Properties
                {
                    { "type", new KeywordProperty() },
                    { "id", new KeywordProperty() },
                    { "key", new KeywordProperty() },
                    { "readers", new KeywordProperty() },
                    { "title", new TextProperty { Analyzer = Folding } },
                    { "body", new TextProperty { Analyzer = Folding } },
                    { "terms", new TextProperty { Analyzer = Folding } },
                    { "updatedAt", new DateProperty() },
                },
            },
        },
    };
}
