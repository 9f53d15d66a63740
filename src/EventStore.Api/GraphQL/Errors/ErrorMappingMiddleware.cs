using System.Text.Json;
using EventStore.Api.Database;
using EventStore.Domain;
using FluentValidation;
using GraphQL;
using GraphQL.Instrumentation;
using JasperFx.Events;
using Npgsql;

namespace EventStore.Api.GraphQL.Errors;

/// <summary>
/// Turns what resolvers throw into coded GraphQL errors: validation failures (one error per field, with its path),
/// domain rules, database unique keys and optimistic-concurrency failures. Anything else is logged and reported as
/// INTERNAL without details.
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
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var errorId = ErrorIds.New();
            logger.LogError(e, "Unhandled error {ErrorId} resolving {Field}: {Type}", errorId, context.FieldDefinition.Name, e.GetType().FullName);
            throw ErrorIds.Internal(errorId);
        }
    }

    private static ApiError? Map(Exception e) => e switch
    {
        ConflictException => new ApiError(ErrorCodes.Conflict, e.Message),
        Domain.Trading.Accounts.InsufficientFundsException => new ApiError(ErrorCodes.Conflict, e.Message,
            new Dictionary<string, object?> { ["reason"] = "INSUFFICIENT_FUNDS" }),
        NotFoundException => new ApiError(ErrorCodes.NotFound, e.Message),
        ForbiddenException => new ApiError(ErrorCodes.Forbidden, e.Message),
        JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException =>
            new ApiError(ErrorCodes.Conflict, "It already exists."),
        JasperFx.ConcurrencyException or EventStreamUnexpectedMaxEventIdException =>
            new ApiError(ErrorCodes.Conflict, "The target was changed by someone else meanwhile; reload and retry."),
        JasperFx.DocumentAlreadyExistsException exists => new ApiError(ErrorCodes.Conflict,
            exists.Message.Contains(nameof(Domain.Trading.Orders.ClientOrderIdClaim), StringComparison.Ordinal)
                ? "This client order id was already used for another order."
                : exists.Message.Contains(nameof(Domain.Trading.Accounts.FundingRequestClaim), StringComparison.Ordinal)
                    ? "A request with this idempotency key was applied meanwhile; send it again to get its result."
                    : "This already exists."),
        _ when PostgresErrors.FindUniqueViolation(e) is { } unique => new ApiError(ErrorCodes.Conflict, DescribeUniqueViolation(unique)),
        _ => null,
    };


    private static string DescribeUniqueViolation(PostgresException e)
    {
        var constraint = (e.ConstraintName ?? "") + " " + e.TableName;
        if (constraint.Contains("clientorderidclaim", StringComparison.OrdinalIgnoreCase))
        {
            return "This client order id was already used for another order.";
        }

        if (constraint.Contains("username", StringComparison.OrdinalIgnoreCase))
        {
            return "This username is already taken.";
        }

        return constraint.Contains("email", StringComparison.OrdinalIgnoreCase)
            ? "This e-mail address is already registered."
            : "This value is already taken.";
    }

    /// <summary>`Email` -> `input.email`, `Items[0].Name` -> `input.items[0].name`.</summary>
    public static string FieldPath(string propertyName) =>
        "input." + string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
