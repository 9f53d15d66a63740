using System.Globalization;
using JasperFx.CommandLine;

namespace EventStore.Api.Reconciliation;

public sealed class ReconcileInput : NetCoreInput;

/// <summary>
/// `dotnet run --project src/EventStore.Api -- reconcile`: runs the reconciliation once against the configured database
/// (the app's own settings; it does not start the app) and prints the report. Exit code 0: no mismatch; 1: mismatches
/// (listed), or the run could not happen (another run holds the lock, or an error). JasperFx finds the command in the
/// entry assembly by its base class; the name comes from the class name.
/// </summary>
[Description("Compares the cash account, position and order read models with their event streams; exit code 1 on any mismatch")]
public sealed class ReconcileCommand : JasperFxAsyncCommand<ReconcileInput>
{
    public override async Task<bool> Execute(ReconcileInput input)
    {
        var host = input.BuildHost();
        try
        {
            var runner = host.Services.GetRequiredService<ReconciliationRunner>();
            var attempt = await runner.TryRunAsync(ReconciliationTrigger.CommandLine, null, CancellationToken.None);
            if (attempt.Report is not { } report)
            {
                await Console.Error.WriteLineAsync("Another reconciliation is running (it holds the lock); try again when it ends.");
                return false;
            }

            await Console.Out.WriteAsync(Format(report));
            return report.MismatchCount == 0;
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }

    public static string Format(ReconciliationReport report)
    {
        var text = new System.Text.StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"Read-model reconciliation: {report.StreamsChecked} streams and {report.RowsChecked} rows checked, "
            + $"{report.MismatchCount} mismatches.");
        foreach (var model in report.ReadModels)
        {
            text.AppendLine(culture, $"  {model.ReadModel}: processed through sequence {model.ProcessedThrough}; {model.StreamsChecked} streams, "
                + $"{model.RowsChecked} rows, {model.StreamsSkipped} skipped (dead-lettered events); {model.MissingRows} missing, "
                + $"{model.ExtraRows} extra, {model.FieldMismatches} differing fields");
        }

        foreach (var m in report.Mismatches)
        {
            text.AppendLine(culture, $"{Kind(m.Kind)} {m.ReadModel} {m.Id:D}{(m.Field is null ? "" : " " + m.Field)}: "
                + $"expected {m.Expected ?? "(none)"}, actual {m.Actual ?? "(none)"}");
        }

        if (report.Truncated)
        {
            text.AppendLine(culture, $"(the first {report.Mismatches.Count} of {report.MismatchCount} mismatches are listed)");
        }

        return text.ToString();
    }

    private static string Kind(MismatchKind kind) => kind switch
    {
        MismatchKind.MissingRow => "MISSING_ROW",
        MismatchKind.ExtraRow => "EXTRA_ROW",
        _ => "FIELD_MISMATCH",
    };
}
