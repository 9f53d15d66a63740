using System.Globalization;
using EventStore.GraphQL.Transport.Limits.RateLimiting;
using GraphQL;
using GraphQL.DI;
using GraphQLParser;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.Limits;

/// <summary>
/// The step every operation passes through, whichever transport brought it (HTTP, or a WebSocket `subscribe`), before
/// validation and before any resolver: the cost caps on the parsed document (aliases, fields), the rate limits per
/// root field, the bulkhead on concurrent resolvers, and after execution the cap on errors per response.
/// </summary>
public sealed class OperationGate(IOptions<GraphQLOptions> limitOptions, IOperationRateLimiter rateLimiter, LimitMetrics metrics,
    ITransportErrorFactory errors, GraphQLTransportOptions transport)
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
            (string Reason, string What, long Limit)? tooCostly = cost.Aliases > limits.MaxAliases ? ("TOO_MANY_ALIASES", "aliases", limits.MaxAliases)
                : cost.Fields > limits.MaxFields ? ("TOO_MANY_FIELDS", "selected fields", limits.MaxFields)
                : null; // depth and complexity: GraphQL.NET's analyzer, during validation (it knows introspection's own depth)
            if (tooCostly is { } refused)
            {
                metrics.CostRefused(refused.Reason);
                return new ExecutionResult
                {
                    Errors = [LimitErrors.TooCostly(errors, refused.Reason, refused.What, refused.Limit)],
                    Executed = false,
                };
            }

            var fields = OperationFields.Of(document, execution.OperationName, execution.Variables, transport);
            var decision = await rateLimiter.DecideAsync(execution.User, context.ClientAddress, fields, execution.CancellationToken);
            if (decision.Refused.Count > 0)
            {
                metrics.RateRefused(decision.Refused.Count);
            }

            if (decision.AllRefused)
            {
                return new ExecutionResult { Errors = [LimitErrors.RateLimited(errors, decision.RetryAfter)], Executed = false };
            }

            context.RefusedFields = decision.Refused;
        }

        // The bulkhead: at most this many resolvers of the operation at once, so at most this many pooled connections.
        execution.MaxParallelExecutionCount = limits.MaxConcurrentResolversPerRequest;
        var result = await next(execution);
        CapErrors(result, limits.MaxErrors, errors);
        return result;
    }

    private static void CapErrors(ExecutionResult result, int max, ITransportErrorFactory errorFactory)
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

        kept.Add(errorFactory.Create(TransportErrorCodes.TooManyErrors, string.Create(CultureInfo.InvariantCulture,
            $"{left} more errors were left out: at most {max} are returned.")));
        result.Errors = kept;
    }
}
