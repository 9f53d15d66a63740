using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace EventStore.Projections.Search;

/// <summary>
/// Async projection into <see cref="SearchTable"/> (the default, PostgreSQL search backend). Per page of events it
/// rebuilds each touched document from its stream (<see cref="SearchSources.LoadAsync"/>) and upserts or deletes
/// its row, in the daemon's transaction with the checkpoint. Rebuildable: the table is emptied first, then replayed.
/// </summary>
public sealed class SearchDocumentProjection : JasperFx.Events.Projections.ProjectionBase, IProjection
{
    public const string ProjectionName = "SearchDocuments";

    public SearchDocumentProjection()
    {
        Name = ProjectionName;
        IncludedEventTypes.AddRange(SearchSources.EventTypes);
        Options.DeleteDataInTableOnTeardown(SearchTable.Name);
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var key in (await SearchSources.TouchedAsync(operations, events, cancellation)).Keys)
        {
            var document = await SearchSources.LoadAsync(operations, key, cancellation);
            if (document is null)
            {
                operations.QueueSqlCommand($"delete from {SearchTable.Name} where doc_type = ? and doc_id = ?", key.Type, key.Id);
            }
            else
            {
                operations.QueueSqlCommand(
                    $"""
                    insert into {SearchTable.Name} (doc_type, doc_id, title, body, content, readers, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?)
                    on conflict (doc_type, doc_id) do update set title = excluded.title, body = excluded.body,
                      content = excluded.content, readers = excluded.readers, updated_at = excluded.updated_at
                    """,
                    document.Type, document.Id, document.Title, document.Body,
                    $"{document.Title} {document.Body} {document.Terms}", document.Readers.ToArray(), document.UpdatedAt.ToUniversalTime());
            }
        }
    }
}
