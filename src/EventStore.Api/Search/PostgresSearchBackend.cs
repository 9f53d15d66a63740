using EventStore.Api.Database;
using EventStore.Projections.Search;
using Npgsql;
using NpgsqlTypes;

namespace EventStore.Api.Search;

/// <summary>
/// The default backend: PostgreSQL full-text search over `eventstore.search_documents`. The query's words are parsed
/// by the same parser as the documents and each becomes a prefix term (<c>'word':*</c>), all required; hits are ranked
/// with <c>ts_rank</c> (title weighted above the rest), highlighted with <c>ts_headline</c>, and paged by keyset.
/// </summary>
public sealed class PostgresSearchBackend(PostgresConnectionSource postgres) : ISearchBackend
{
    private const string Sql = $"""
        with q as (
          select to_tsquery('simple', string_agg(quote_literal(lexeme) || ':*', ' & ' order by lexeme)) as query
          from unnest(to_tsvector('simple', @text))
        ),
        hits as (
          select d.doc_type, d.doc_id, d.title, d.body, d.updated_at, q.query,
                 ts_rank(setweight(to_tsvector('simple', d.title), 'A') || setweight({SearchTable.Vector}, 'D'), q.query) as rank
          from {SearchTable.Name} d, q
          where {SearchTable.Vector} @@ q.query and d.doc_type = any(@types) and d.readers && @readers
        )
        select doc_type, doc_id, title, updated_at, rank,
               ts_headline('simple', title || ' · ' || body, query, 'StartSel=<mark>, StopSel=</mark>, HighlightAll=true')
        from hits
        where @after_type is null or rank < @after_rank
           or (rank = @after_rank and (doc_type, doc_id) > (@after_type, @after_id))
        order by rank desc, doc_type, doc_id
        limit @limit
        """;

    public async Task<SearchPage> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter("text", NpgsqlDbType.Text) { Value = request.Text });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = request.Types.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("readers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = request.Readers.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("after_type", NpgsqlDbType.Text) { Value = (object?)request.After?.Type ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_rank", NpgsqlDbType.Real) { Value = (object?)(float?)request.After?.Score ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = (object?)request.After?.Id ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = request.First + 1 });

        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            hits.Add(new SearchHit(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(5),
                reader.GetFloat(4), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return new SearchPage([.. hits.Take(request.First)], hits.Count > request.First);
    }
}
