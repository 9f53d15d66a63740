using System.Reflection;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace EventStore.Api.Reconciliation;

/// <summary>
/// What the reconciliation needs to know about one read model, read from Marten's own configuration so that it follows
/// the projection: the projection's name (its progress rows in `mt_event_progression` are `name:shard`), the event types
/// it handles (the daemon feeds it only those), the document table with its duplicated columns, and the aggregator that
/// live aggregation uses, which runs the projection's own Create/Apply methods.
/// </summary>
internal sealed class ReconciledReadModel<TDoc> where TDoc : class
{
    private readonly PropertyInfo _id;

    private ReconciledReadModel(string name, string[] eventTypes, Type[] eventClrTypes, string table,
        IReadOnlyList<DuplicatedColumn> columns, PropertyInfo id, IAggregator<TDoc, IQuerySession> aggregator)
    {
        Name = name;
        EventTypeNames = eventTypes;
        EventTypes = eventClrTypes;
        Table = table;
        Columns = columns;
        _id = id;
        Aggregator = aggregator;
    }

    public string Name { get; }

    /// <summary>Stored names (`mt_events.type`) of the events the projection handles.</summary>
    public string[] EventTypeNames { get; }

    public Type[] EventTypes { get; }

    /// <summary>Qualified table name, e.g. `eventstore.mt_doc_cashaccountview`.</summary>
    public string Table { get; }

    /// <summary>Columns Marten copies out of the document for querying (`user_id`): served reads filter on them.</summary>
    public IReadOnlyList<DuplicatedColumn> Columns { get; }

    public IAggregator<TDoc, IQuerySession> Aggregator { get; }

    /// <summary>The daemon gives a projected document its stream's id; live aggregation of a slice does not always.</summary>
    public void SetId(TDoc document, Guid streamId) => _id.SetValue(document, streamId);

    public static ReconciledReadModel<TDoc> For(IDocumentStore store)
    {
        var options = (StoreOptions)store.Options;
        // The stream's own projection builds the document; others may touch it too (TradingErasureProjection forgets
        // the client order id on erasure), and the stream projection alone gives the same result after a rebuild.
        var publishing = options.Projections.All.Where(p => p.PublishedTypes().Contains(typeof(TDoc))).ToList();
        var projection = publishing.SingleOrDefault(p => p is SingleStreamProjection<TDoc, Guid>)
            ?? publishing.SingleOrDefault()
            ?? throw new InvalidOperationException($"No projection publishes {typeof(TDoc).Name}.");
        if (projection is not EventFilterable { IncludedEventTypes.Count: > 0 } filter)
        {
            throw new InvalidOperationException($"{projection.Name} does not declare the event types it handles.");
        }

        var naming = store.Options.Events.EventNamingStyle;
        var mapping = store.Options.FindOrResolveDocumentType(typeof(TDoc));
        var id = mapping.IdMember as PropertyInfo is { PropertyType: var idType } property && idType == typeof(Guid)
            ? property
            : throw new InvalidOperationException($"{typeof(TDoc).Name} is not keyed by a Guid stream id.");
        return new ReconciledReadModel<TDoc>(
            projection.Name,
            [.. filter.IncludedEventTypes.Select(t => t.GetEventTypeName(naming)).Distinct(StringComparer.Ordinal)],
            [.. filter.IncludedEventTypes.Distinct()],
            mapping.TableName.QualifiedName,
            [.. mapping.DuplicatedFields.Select(f => new DuplicatedColumn(f.ColumnName, f.Members))],
            id,
            options.Projections.AggregatorFor<TDoc>());
    }
}

/// <summary>A duplicated column and the member path it copies (`UserId` -> `user_id`).</summary>
internal sealed record DuplicatedColumn(string Name, MemberInfo[] Members)
{
    public object? ValueOf(object document)
    {
        object? value = document;
        foreach (var member in Members)
        {
            value = value is null ? null : member switch
            {
                PropertyInfo p => p.GetValue(value),
                FieldInfo f => f.GetValue(value),
                _ => throw new InvalidOperationException($"Unsupported duplicated member {member.Name}."),
            };
        }

        return value;
    }
}
