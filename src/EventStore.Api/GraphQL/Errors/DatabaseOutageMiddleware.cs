using System.Globalization;
using EventStore.Api.Database;
using GraphQL;

namespace EventStore.Api.GraphQL.Errors;

/// <summary>
/// A request that met a PostgreSQL outage outside GraphQL's execution (checking a token's session with a node whose
/// cache was just cleared, for example) is answered 503 with `Retry-After` and a GraphQL-shaped `UNAVAILABLE` error,
/// not 500. Within execution the same outage is the field's `UNAVAILABLE` error (<see cref="ErrorMappingMiddleware"/>).
/// </summary>
public sealed class DatabaseOutageMiddleware(RequestDelegate next, IGraphQLTextSerializer serializer,
    ILogger<DatabaseOutageMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (DatabaseOutage.Is(e) && !http.Response.HasStarted)
        {
            logger.LogWarning("The database was unavailable for request {TraceId} ({Path}): {Type}", http.TraceIdentifier,
                http.Request.Path.Value, e.GetType().FullName);
            http.Response.Clear();
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            http.Response.ContentType = "application/json; charset=utf-8";
            // Shaped as every other error (ApiErrorInfoProvider): message, extensions.code, extensions.retryAfter.
            await serializer.WriteAsync(http.Response.Body,
                new ExecutionResult { Errors = [ErrorMappingMiddleware.Unavailable()], Executed = false }, http.RequestAborted);
        }
    }
}
