using EventStore.Api.LiveFeed;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Api.Privacy;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Audit;

public sealed class AuditEventType : ObjectGraphType<StoredEvent>
{
    public AuditEventType()
    {
        Name = "AuditEvent";
        Field<NonNullGraphType<LongGraphType>>("sequence").Description("Global sequence: the cursor of the log.").Resolve(c => c.Source.Sequence);
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("streamId").Resolve(c => c.Source.StreamId);
        Field(x => x.StreamType, nullable: true);
        Field<NonNullGraphType<LongGraphType>>("version").Resolve(c => c.Source.Version);
        Field(x => x.Type);
        Field(x => x.Timestamp).Description("Commit time, from the store.");
        Field(x => x.Data).Description("The event's data as stored (JSON text): what the hash chain covers. Personal fields are sealed.");
        Field<NonNullGraphType<StringGraphType>>("revealedData").Personal(PersonalKind.Text, _ => DataSubject.Unknown)
            .Description("The event's data with its sealed personal fields opened (JSON text); a field is null once its "
                + "subject's personal data was erased.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<PersonalDataReveal>().RevealAsync(c.Source.Data, c.CancellationToken));
        Field(x => x.Actor, nullable: true);
        Field(x => x.CorrelationId, nullable: true);
        Field(x => x.CausationId, nullable: true);
        Field(x => x.Headers, nullable: true).Description("Metadata headers as stored (JSON text), e.g. the command type.");
    }
}

public sealed record AggregateSnapshot(Guid StreamId, string StreamType, long Version, string State);

public sealed class AggregateSnapshotType : ObjectGraphType<AggregateSnapshot>
{
    public AggregateSnapshotType()
    {
        Name = "AggregateSnapshot";
        Field<NonNullGraphType<IdGraphType>>("streamId").Resolve(c => c.Source.StreamId);
        Field(x => x.StreamType);
        Field<NonNullGraphType<LongGraphType>>("version").Resolve(c => c.Source.Version);
        Field(x => x.State).Description("The aggregate as it was then, as JSON, personal fields opened (null once erased).")
            .Personal(PersonalKind.Text, _ => DataSubject.Unknown);
    }
}

public sealed class AuditFilterInput
{
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public List<string>? EventTypes { get; set; }
    public List<string>? StreamTypes { get; set; }
    public string? Actor { get; set; }
    public string? CorrelationId { get; set; }
    public Guid? StreamId { get; set; }
}

public sealed class AuditFilterType : InputObjectGraphType<AuditFilterInput>
{
    /// <summary>Stored event and stream type names and actors are short identifiers.</summary>
    public const int MaxNameLength = 100;

    public AuditFilterType()
    {
        Name = "AuditEventFilter";
        Field(x => x.From, nullable: true).Description("Committed at or after.");
        Field(x => x.To, nullable: true).Description("Committed before.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("eventTypes").SingleLine(MaxNameLength).Description("Stored type names, e.g. order_placed.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("streamTypes").SingleLine(MaxNameLength).Description("Aggregate names, e.g. order, user.");
        Field(x => x.Actor, nullable: true).SingleLine(MaxNameLength).Description("e.g. user:<id> or system:broker.");
        Field(x => x.CorrelationId, nullable: true).SingleLine(MessageContextStamping.CorrelationIdMaxLength);
        Field<IdGraphType>("streamId");
    }
}
