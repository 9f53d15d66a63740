using System.Diagnostics;
using GraphQL;
using GraphQLParser.AST;

namespace EventStore.Api.Telemetry;

/// <summary>
/// What both transports (HTTP and graphql-transport-ws) do around one GraphQL operation: a span named after it
/// (`mutation placeOrder`, the parent of the Wolverine and Npgsql spans it causes), a logging scope with the
/// correlation id and operation name (so every line written while it runs carries them), and the duration metric.
/// </summary>
public static class GraphQLOperationTelemetry
{
    /// <summary>Root fields named in a span beyond which it says "…".</summary>
    private const int NamedRootFields = 3;

    public static async Task<ExecutionResult> ExecuteAsync(IDocumentExecuter executer, ExecutionOptions options,
        GraphQLDocument? document, ApiMetrics metrics, ILogger logger, string correlationId)
    {
        var (type, fields) = Describe(document, options.OperationName);
        var name = fields.Count == 0 ? type : $"{type} {string.Join(',', fields.Take(NamedRootFields))}{(fields.Count > NamedRootFields ? ",…" : "")}";
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["CorrelationId"] = correlationId, ["Operation"] = name });
        using var activity = EventStoreTelemetry.ActivitySource.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag("graphql.operation.type", type);
        activity?.SetTag("eventstore.correlation_id", correlationId);
        if (options.OperationName is { Length: > 0 and <= 100 } operationName)
        {
            activity?.SetTag("graphql.operation.name", operationName);
        }

        var started = Stopwatch.GetTimestamp();
        var result = await executer.ExecuteAsync(options);
        var outcome = !result.Executed ? "refused" : result.Errors is { Count: > 0 } ? "error" : "ok";
        if (outcome != "ok")
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Errors?.FirstOrDefault()?.Code ?? outcome);
        }

        // Only a validated document's root fields are names of our schema: anything else would let a client mint tags.
        var operation = !result.Executed || fields.Count == 0 ? "-" : fields.Count == 1 ? fields[0] : "multiple";
        metrics.OperationCompleted(operation, result.Executed ? type : "-", outcome, Stopwatch.GetElapsedTime(started));
        return result;
    }

    /// <summary>The selected operation's type and its root field names (not aliases), in document order.</summary>
    public static (string Type, IReadOnlyList<string> Fields) Describe(GraphQLDocument? document, string? operationName)
    {
        var operations = document?.Definitions.OfType<GraphQLOperationDefinition>().ToList() ?? [];
        var operation = operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
        if (operation is null)
        {
            return ("operation", []);
        }

        var fields = operation.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue).Distinct().ToList();
        return (operation.Operation.ToString().ToLowerInvariant(), fields);
    }
}
