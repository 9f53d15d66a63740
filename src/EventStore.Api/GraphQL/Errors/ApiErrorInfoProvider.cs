using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Errors.Custom;

namespace EventStore.Api.GraphQL.Errors;

/// <summary>
/// Shapes every error as `{ message, locations, path, extensions: { code, ... } }` with our codes only:
/// no exception type names, stack traces or SQL ever reach a client.
/// </summary>
public sealed class ApiErrorInfoProvider : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        var extensions = new Dictionary<string, object?>();
        var message = executionError.Message;
        switch (executionError)
        {
            case ApiError api:
                extensions["code"] = api.Code;
                foreach (var (key, value) in api.Extra)
                {
                    extensions[key] = value;
                }

                break;
            case Hygiene.InputHygieneError hygiene:
                extensions["code"] = ErrorCodes.Validation;
                extensions["field"] = hygiene.Field;
                extensions["reason"] = hygiene.Reason;
                break;
            case AuthorizationError denied:
                extensions["code"] = denied.Code;
                break;
            case { InnerException: LiveFeed.SubscriberTooSlowException slow }:
                // A subscriber that fell too far behind: not a fault, a signal to resubscribe from its last cursor.
                extensions["code"] = ErrorCodes.SlowConsumer;
                message = slow.Message;
                break;
            case ComplexityError:
                extensions["code"] = ErrorCodes.Validation;
                extensions["reason"] = "QUERY_TOO_COMPLEX";
                break;
            case ValidationError or DocumentError:
                extensions["code"] = ErrorCodes.Validation;
                break;
            default:
                // Anything else escaped our mapping: say nothing about it.
                extensions["code"] = ErrorCodes.Internal;
                message = InternalErrorMessage;
                break;
        }

        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    public const string InternalErrorMessage = "An internal error occurred. It has been logged.";
}
