using EventStore.Api.Hosting;
using System.Text.Json;
using EventStore.Api.Auth;
using System.Globalization;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Limits;
using EventStore.Domain.Auditing;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.GraphQL.Transport;

/// <summary>
/// GraphQL over HTTP on `/graphql` (GraphQL.NET's server package is not served here, so the transport is ours).
/// POST application/json, GET for queries only; status codes as the reference implementation (npm graphql-http)
/// uses them: with `application/json` a request that reached GraphQL is 200 whatever its errors; with
/// `application/graphql-response+json` a document that fails to parse or validate is 400.
/// </summary>
public sealed class GraphQLHttpEndpoint(
    IDocumentExecuter<EventStoreSchema> executer,
    IGraphQLTextSerializer serializer,
    IOptions<GraphQLOptions> options)
{
    public async Task HandleAsync(HttpContext http)
    {
        var isGet = HttpMethods.IsGet(http.Request.Method);
        if (!isGet && !HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, MediaTypes.Json, "Use GET or POST.");
            return;
        }

        var mediaType = MediaTypes.Negotiate(http.Request.Headers.Accept);
        if (mediaType is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, MediaTypes.Json,
                $"Accept {MediaTypes.GraphQLResponse} or {MediaTypes.Json}.");
            return;
        }

        var (request, problem, status) = isGet ? ReadQueryString(http.Request) : await ReadBodyAsync(http);
        if (request is null)
        {
            await WriteErrorAsync(http, status, mediaType, problem!);
            return;
        }

        var document = TryParse(request.Query!);
        if (isGet && document is not null && OperationKind(document, request.OperationName) is { } kind
            && kind != OperationType.Query)
        {
            http.Response.Headers.Allow = "POST";
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, mediaType,
                $"A {kind.ToString().ToLowerInvariant()} cannot be sent with GET; use POST.");
            return;
        }

        // One correlation id per GraphQL operation, carried into every message and event it causes.
        var bus = http.RequestServices.GetRequiredService<Wolverine.IMessageContext>();
        bus.ActAs(http.User, http.TraceIdentifier);

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            Document = document,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            User = http.User,
            UserContext = GraphQLUserContext.For(http),
            RequestServices = http.RequestServices,
            CancellationToken = http.RequestAborted,
        });

        // The rate limits (Limits/OperationGate) refuse per root field: all refused is 429, some refused is a partial
        // result; either way the client learns when to come back.
        var retryAfter = LimitErrors.RetryAfterSeconds(result);
        if (retryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var code = !result.Executed && retryAfter is not null ? StatusCodes.Status429TooManyRequests
            : !result.Executed && mediaType == MediaTypes.GraphQLResponse ? StatusCodes.Status400BadRequest
            : StatusCodes.Status200OK;
        http.Response.StatusCode = code;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private (GraphQLRequest? Request, string? Problem, int Status) ReadQueryString(HttpRequest request)
    {
        var query = request.Query["query"].ToString();
        if (string.IsNullOrWhiteSpace(query))
        {
            return (null, "The 'query' parameter is required.", StatusCodes.Status400BadRequest);
        }

        try
        {
            var variables = request.Query["variables"].ToString();
            var extensions = request.Query["extensions"].ToString();
            return (new GraphQLRequest
            {
                Query = query,
                OperationName = NullIfEmpty(request.Query["operationName"].ToString()),
                Variables = string.IsNullOrEmpty(variables) ? null : serializer.Deserialize<Inputs>(variables),
                Extensions = string.IsNullOrEmpty(extensions) ? null : serializer.Deserialize<Inputs>(extensions),
            }, null, 0);
        }
        catch (JsonException)
        {
            return (null, "'variables' and 'extensions' must be JSON objects.", StatusCodes.Status400BadRequest);
        }
    }

    private async Task<(GraphQLRequest? Request, string? Problem, int Status)> ReadBodyAsync(HttpContext http)
    {
        if (!MediaTypes.IsJson(http.Request.ContentType))
        {
            return (null, $"Send the request as {MediaTypes.Json}.", StatusCodes.Status415UnsupportedMediaType);
        }

        var limit = options.Value.MaxRequestBytes;
        if (http.Request.ContentLength > limit)
        {
            return (null, $"The request body exceeds {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, $"The request body exceeds {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            buffer.Position = 0;
            var request = await serializer.ReadAsync<GraphQLRequest>(buffer, http.RequestAborted);
            return string.IsNullOrWhiteSpace(request?.Query)
                ? (null, "The body must be a JSON object with a 'query' string.", StatusCodes.Status400BadRequest)
                : (request, null, 0);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            return (null, "The body must be a JSON object: { \"query\": string, \"variables\"?: object, \"operationName\"?: string }.",
                StatusCodes.Status400BadRequest);
        }
    }

    private static GraphQLDocument? TryParse(string query)
    {
        try
        {
            return Parser.Parse(query);
        }
        catch (GraphQLSyntaxErrorException)
        {
            return null; // the executer reports the syntax error in the GraphQL way
        }
    }

    private static OperationType? OperationKind(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
        return operation?.Operation;
    }

    private async Task WriteErrorAsync(HttpContext http, int status, string mediaType, string message,
        string code = ErrorCodes.BadRequest)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        var result = new ExecutionResult { Errors = [new ApiError(code, message)], Executed = false };
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
