using GraphQL;
using GraphQL.Instrumentation;

namespace EventStore.GraphQL.Transport.Limits;

/// <summary>Refuses, before their resolvers run, the root fields the rate limiter did not let through.</summary>
public sealed class RateLimitedFieldMiddleware(ITransportErrorFactory errors) : IFieldMiddleware
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next) =>
        context.UserContext is GraphQLUserContext { RefusedFields.Count: > 0 } user
        && user.RefusedFields.TryGetValue(context.FieldAst, out var retryAfter)
            ? throw LimitErrors.RateLimited(errors, retryAfter)
            : next(context);
}
