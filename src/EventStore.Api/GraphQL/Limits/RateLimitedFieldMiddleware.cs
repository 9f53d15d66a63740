using EventStore.Api.GraphQL.Errors;
using GraphQL;
using GraphQL.Instrumentation;

namespace EventStore.Api.GraphQL.Limits;

/// <summary>Refuses, before their resolvers run, the root fields the rate limiter did not let through.</summary>
public sealed class RateLimitedFieldMiddleware : IFieldMiddleware
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next) =>
        context.UserContext is GraphQLUserContext { RefusedFields.Count: > 0 } user
        && user.RefusedFields.TryGetValue(context.FieldAst, out var retryAfter)
            ? throw LimitErrors.RateLimited(retryAfter)
            : next(context);
}
