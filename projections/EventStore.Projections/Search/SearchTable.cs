using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace EventStore.Projections.Search;

/// <summary>
/// `eventstore.search_documents`: the PostgreSQL search backend's table (in the app's own schema, not in `analytics`:
/// it holds personal data, usernames and chat text). Full-text matching uses a GIN index over
/// <c>to_tsvector('simple', content)</c>; the <c>simple</c> configuration does no stemming, which suits names, symbols
/// and order ids in any language.
/// </summary>
public static class SearchTable
{
    public const string Schema = "eventstore";
    public const string Name = Schema + ".search_documents";

    /// <summary>The indexed expression; queries must repeat it verbatim so the planner uses the GIN index.</summary>
    public const string Vector = "to_tsvector('simple'::regconfig, content)";

    public static Table Build()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "search_documents", SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("doc_type").AsPrimaryKey();
        table.AddColumn<Guid>("doc_id").AsPrimaryKey();
        table.AddColumn<string>("title").NotNull();
        table.AddColumn<string>("body").NotNull();
        table.AddColumn<string>("content").NotNull();
        table.AddColumn("readers", "text[]").NotNull();
        table.AddColumn<DateTimeOffset>("updated_at").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_search_documents_content")
        {
            Columns = ["content"], Method = IndexMethod.gin, Mask = "to_tsvector('simple'::regconfig, ?)",
        });
        table.Indexes.Add(new IndexDefinition("ix_search_documents_readers") { Columns = ["readers"], Method = IndexMethod.gin });
        return table;
    }
}
