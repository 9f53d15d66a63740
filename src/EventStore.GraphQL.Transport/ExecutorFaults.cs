using GraphQL;
using GraphQL.Execution;

namespace EventStore.GraphQL.Transport;

/// <summary>
/// What GraphQL.NET's executer catches but cannot place: an exception outside our field middleware (a validation
/// rule, variable coercion, an introspection field). The executer reports it as INTERNAL without logging it; this logs
/// it once, at Error, so such a fault is seen, and turns the known client mistakes among them into a client error.
/// </summary>
internal static class ExecutorFaults
{
    public static Func<UnhandledExceptionContext, Task> Handle(ITransportErrorFactory errors, ILogger logger, string operation) => context =>
    {
        if (ClientMistake(errors, context) is { } error)
        {
            context.Exception = error; // an ExecutionError replaces the INTERNAL one
        }
        else if (context.OriginalException is not OperationCanceledException)
        {
            var errorId = TransportErrorIds.New();
            logger.LogError(context.OriginalException, "GraphQL operation {Operation}: unhandled {Type} in the executer, error {ErrorId}",
                operation, context.OriginalException.GetType().FullName, errorId);
            context.Exception = errors.Internal(errorId);
        }

        return Task.CompletedTask;
    };

    // GraphQL.NET 8.8's `__type` resolver throws for an empty name, where an unknown name gives null.
    private static ExecutionError? ClientMistake(ITransportErrorFactory errors, UnhandledExceptionContext context) =>
        context.FieldContext?.FieldDefinition.Name == "__type" && context.OriginalException is ArgumentOutOfRangeException
            ? errors.Create(TransportErrorCodes.Validation, "'name' must not be empty.")
            : null;
}
