using EventStore.Api.Auth;
using EventStore.Api.Reconciliation;
using EventStore.Domain;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Admin;

/// <summary>
/// Admins: compare the trading read models with their event streams now (docs/operations.md#read-model-reconciliation).
/// The same run as the schedule and the `reconcile` command, one at a time across the cluster.
/// </summary>
public static class ReconciliationAdmin
{
    public static void AddReconciliationMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ReconciliationReportType>>("reconcileReadModels")
            .Description("Admins: recompute every cash account, position and order from its event stream, up to what the projection "
                + "daemon has processed, and report each read-model row that differs (missing, extra, or a field with another "
                + "value). Returns when the run is done; records the result for readiness. CONFLICT while another run holds the lock.")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var services = c.RequestServices!;
                services.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Reconciliation")
                    .LogInformation("Read-model reconciliation requested by {Actor}", c.User.UserId());
                var attempt = await services.GetRequiredService<ReconciliationRunner>()
                    .TryRunAsync(ReconciliationTrigger.Admin, null, c.CancellationToken);
                return attempt.Report ?? throw new ConflictException(
                    "A reconciliation is already running (the schedule, the command line or another admin); try again when it ends.");
            });
    }
}

public sealed class ReconciliationReportType : ObjectGraphType<ReconciliationReport>
{
    public ReconciliationReportType()
    {
        Name = "ReconciliationReport";
        Field(x => x.StartedAt);
        Field(x => x.FinishedAt);
        Field(x => x.StreamsChecked).Description("Streams whose recomputed state was compared with their row.");
        Field(x => x.RowsChecked).Description("Read-model rows checked for a stream that explains them.");
        Field(x => x.MismatchCount).Description("All mismatches found, also those beyond the listed ones.");
        Field(x => x.Truncated).Description("True when `mismatches` lists only the first Reconciliation:MaxReportedMismatches.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReadModelCheckType>>>>("readModels").Resolve(c => c.Source.ReadModels);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReadModelMismatchType>>>>("mismatches").Resolve(c => c.Source.Mismatches);
    }
}

public sealed class ReadModelCheckType : ObjectGraphType<ReadModelSummary>
{
    public ReadModelCheckType()
    {
        Name = "ReadModelCheck";
        Field(x => x.ReadModel).Description("CashAccountView, PositionView or OrderView.");
        Field<NonNullGraphType<LongGraphType>>("processedThrough")
            .Description("The projection's progress (global sequence): events after it were not compared (not projected yet).")
            .Resolve(c => c.Source.ProcessedThrough);
        Field(x => x.StreamsChecked);
        Field(x => x.RowsChecked);
        Field(x => x.StreamsSkipped).Description("Streams not compared because the daemon dead-lettered one of their events.");
        Field(x => x.MissingRows);
        Field(x => x.ExtraRows);
        Field(x => x.FieldMismatches);
    }
}

public sealed class ReadModelMismatchType : ObjectGraphType<ReadModelMismatch>
{
    public ReadModelMismatchType()
    {
        Name = "ReadModelMismatch";
        Field<NonNullGraphType<ReadModelMismatchKindType>>("kind").Resolve(c => c.Source.Kind);
        Field(x => x.ReadModel);
        Field<NonNullGraphType<IdGraphType>>("id").Description("The row's id, which is its stream's id.").Resolve(c => c.Source.Id);
        Field(x => x.Field, nullable: true)
            .Description("FIELD_MISMATCH: the stored JSON path of the first difference (`Balance`, `History[2].Status`) or a "
                + "duplicated column (`user_id`).");
        Field(x => x.Expected, nullable: true)
            .Description("JSON text recomputed from the events (the document, for MISSING_ROW), cut at 256 characters; null: absent.");
        Field(x => x.Actual, nullable: true)
            .Description("JSON text as stored (the row, for EXTRA_ROW), cut at 256 characters; null: absent.");
    }
}

public sealed class ReadModelMismatchKindType : EnumerationGraphType<MismatchKind>
{
    public ReadModelMismatchKindType() => Name = "ReadModelMismatchKind";
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class ReconciliationMutationRoot : IMutationFields
{
    public int Order => 21;

    public void AddTo(ObjectGraphType root) => root.AddReconciliationMutations();
}
