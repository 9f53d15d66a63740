using System.Text.Json;
using EventStore.Api.Database;
using EventStore.Domain;
using FluentValidation;
using GraphQL;
using GraphQL.Instrumentation;

namespace EventStore.Api.GraphQL.Errors;

/// <summary>
/// Turns what resolvers throw into coded GraphQL errors: validation failures (one error per field, with its path), and
/// refusals (<see cref="Map"/>): domain rules, taken unique keys and optimistic-concurrency failures, all typed by the
/// Domain. Anything else is logged and reported as INTERNAL without details.
/// </summary>
public sealed class ErrorMappingMiddleware(ILogger<ErrorMappingMiddleware> logger) : IFieldMiddleware
{
    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ExecutionError)
        {
            throw;
        }
        catch (ValidationException e)
        {
            // One error per failing field, each with its input path; the last one is thrown so the field resolves
            // to null the ordinary way (no second "null for non-null" error).
            var errors = e.Errors.Select(failure => new ApiError(ErrorCodes.Validation, failure.ErrorMessage,
                new Dictionary<string, object?> { ["field"] = FieldPath(failure.PropertyName) })).ToList();
            if (errors.Count == 0)
            {
                throw new ApiError(ErrorCodes.Validation, e.Message);
            }

            foreach (var error in errors.SkipLast(1))
            {
                error.Path = context.Path;
                context.Errors.Add(error);
            }

            throw errors[^1];
        }
        catch (Exception e) when (Map(e) is { } error)
        {
            throw error;
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            // Not a fault of ours to log as one: PostgreSQL restarting or out of reach for a moment.
            logger.LogWarning("The database was unavailable resolving {Field}: {Type}", context.FieldDefinition.Name, e.GetType().FullName);
            throw Unavailable();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var errorId = ErrorIds.New();
            logger.LogError(e, "Unhandled error {ErrorId} resolving {Field}: {Type}", errorId, context.FieldDefinition.Name, e.GetType().FullName);
            throw ErrorIds.Internal(errorId);
        }
    }

    /// <summary>
    /// The one mapping of refusals to GraphQL errors: a <see cref="DomainException"/> (thrown by a rule, or the store's
    /// refusal as <see cref="StoreConflicts"/> types it) carries its code and reason.
    /// </summary>
    public static ApiError? Map(Exception e) => StoreConflicts.Translate(e) is { } refusal
        ? new ApiError(refusal.Code, refusal.Message,
            refusal.Reason is { } reason ? new Dictionary<string, object?> { ["reason"] = reason } : null)
        : null;

    /// <summary>
    /// The database is out of reach. A command caught by it may or may not have been committed (the commit may have
    /// reached the server), so the message says how to retry safely.
    /// </summary>
    public static ApiError Unavailable() => new(ErrorCodes.Unavailable,
        "The database is unavailable for a moment; retry in a few seconds. A change sent now may or may not have been "
        + "applied: retry it with the same idempotency key, or read before sending it again.",
        new Dictionary<string, object?> { ["retryAfter"] = DatabaseOutage.RetryAfterSeconds });

    /// <summary>`Email` -> `input.email`, `Items[0].Name` -> `input.items[0].name`.</summary>
    public static string FieldPath(string propertyName) =>
        "input." + string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
