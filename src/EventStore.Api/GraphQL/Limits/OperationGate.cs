using System.Globalization;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Limits.RateLimiting;
using GraphQL;
using GraphQL.DI;
using GraphQLParser;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.GraphQL.Limits;

/// <summary>
/// The step every operation passes through, whichever transport brought it (HTTP, or a WebSocket `subscribe`), before
/// validation and before any resolver: the cost caps on the parsed document (aliases, fields), the rate limits per
/// root field, the bulkhead on concurrent resolvers, and after execution the cap on errors per response.
/// </summary>
public sealed class OperationGate(IOptions<GraphQLOptions> limitOptions, OperationRateLimiter rateLimiter, LimitMetrics metrics)
    : IConfigureExecution
{
    /// <summary>Before GraphQL.NET's own configurations (100, 200): nothing of theirs needs to run for a refused document.</summary>
    public float SortOrder => 50;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var limits = limitOptions.Value;
        var execution = options;
        if (execution.UserContext is not GraphQLUserContext context)
        {
            context = new GraphQLUserContext();
            execution.UserContext = context;
        }

        if (execution.Document is null && execution.Query is { } query)
        {
            try
            {
                execution.Document = Parser.Parse(query);
            }
            catch (GraphQLSyntaxErrorException)
            {
                return await next(execution); // the executer reports the syntax error the GraphQL way
            }
        }

        if (execution.Document is { } document)
        {
            var cost = DocumentCost.Of(document);
            var tooCostly = cost.Aliases > limits.MaxAliases ? LimitErrors.TooCostly("TOO_MANY_ALIASES", "aliases", limits.MaxAliases)
                : cost.Fields > limits.MaxFields ? LimitErrors.TooCostly("TOO_MANY_FIELDS", "selected fields", limits.MaxFields)
                : null; // depth and complexity: GraphQL.NET's analyzer, during validation (it knows introspection's own depth)
            if (tooCostly is not null)
            {
                metrics.CostRefused(tooCostly.Extra["reason"] as string);
                return new ExecutionResult { Errors = [tooCostly], Executed = false };
            }

            var fields = OperationFields.Of(document, execution.OperationName, execution.Variables);
            var decision = await rateLimiter.DecideAsync(execution.User, context.ClientAddress, fields, execution.CancellationToken);
            if (decision.Refused.Count > 0)
            {
                metrics.RateRefused(decision.Refused.Count);
            }

            if (decision.AllRefused)
            {
                return new ExecutionResult { Errors = [LimitErrors.RateLimited(decision.RetryAfter)], Executed = false };
            }

            context.RefusedFields = decision.Refused;
        }

        // The bulkhead: at most this many resolvers of the operation at once, so at most this many pooled connections.
        execution.MaxParallelExecutionCount = limits.MaxConcurrentResolversPerRequest;
        var result = await next(execution);
        CapErrors(result, limits.MaxErrors);
        return result;
    }

    private static void CapErrors(ExecutionResult result, int max)
    {
        if (result.Errors is not { } errors || errors.Count <= max)
        {
            return;
        }

        var left = errors.Count - (max - 1);
        var kept = new ExecutionErrors();
        foreach (var error in errors.Take(max - 1))
        {
            kept.Add(error);
        }

        kept.Add(new ApiError(ErrorCodes.TooManyErrors, string.Create(CultureInfo.InvariantCulture,
            $"{left} more errors were left out: at most {max} are returned.")));
        result.Errors = kept;
    }
}
