using System.Globalization;
using System.Text.Json;
using EventStore.Api.Database;

namespace EventStore.Api.GraphQL.Errors;

/// <summary>
/// A request that met a PostgreSQL outage outside GraphQL's execution (checking a token's session with a node whose
/// cache was just cleared, for example) is answered 503 with `Retry-After` and a GraphQL-shaped `UNAVAILABLE` error,
/// not 500. Within execution the same outage is the field's `UNAVAILABLE` error (<see cref="ErrorMappingMiddleware"/>).
/// </summary>
public sealed class DatabaseOutageMiddleware(RequestDelegate next, ILogger<DatabaseOutageMiddleware> logger)
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
            await WriteAsync(http);
        }
    }

    private static async Task WriteAsync(HttpContext http)
    {
        var error = ErrorMappingMiddleware.Unavailable();
        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object?>
        {
            ["errors"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["message"] = error.Message,
                    ["extensions"] = new Dictionary<string, object?> { ["code"] = error.Code }.Concat(error.Extra).ToDictionary(),
                },
            },
        };
        await JsonSerializer.SerializeAsync(http.Response.Body, body, cancellationToken: http.RequestAborted);
    }
}
