using System.Globalization;
using EventStore.GraphQL.Transport.Limits;
using EventStore.GraphQL.Transport.Requests;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.Http;

/// <summary>
/// GraphQL over HTTP on `/graphql` (GraphQL.NET's server package is not served here, so the transport is ours).
/// POST application/json, GET for queries only; status codes as the reference implementation (npm graphql-http)
/// uses them: with `application/json` a request that reached GraphQL is 200 whatever its errors; with
/// `application/graphql-response+json` a document that fails to parse or validate is 400. Whatever a client sends
/// gets a GraphQL-shaped body: a malformed request a 4xx, a fault of ours a logged 500 without details.
/// </summary>
/// <typeparam name="TSchema">The host's schema (GraphQL.NET's executer resolves it from the request's services).</typeparam>
public sealed class GraphQLHttpEndpoint<TSchema>(
    IDocumentExecuter<TSchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLRequestReader reader,
    ParsedDocumentCache documents,
    IOptions<GraphQLOptions> options,
    ITransportErrorFactory errors,
    IGraphQLOperationHooks hooks,
    ILogger<GraphQLHttpEndpoint<TSchema>> logger)
    where TSchema : global::GraphQL.Types.ISchema
{
    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            await HandleRequestAsync(http);
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e)
        {
            var errorId = TransportErrorIds.New();
            logger.LogError(e, "GraphQL request {TraceId} failed, error {ErrorId}", http.TraceIdentifier, errorId);
            await TryWriteErrorAsync(http, StatusCodes.Status500InternalServerError, errors.Internal(errorId));
        }
    }

    private async Task HandleRequestAsync(HttpContext http)
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

        var (document, refusal) = await documents.ParseAsync(request.Query!, http.RequestAborted);
        if (refusal is not null)
        {
            await WriteResultAsync(http, NotExecutedStatus(mediaType), mediaType,
                new ExecutionResult { Errors = [refusal], Executed = false });
            return;
        }

        var kind = document is null ? null : OperationKind(document, request.OperationName);
        if (kind == OperationType.Subscription)
        {
            // Executed here it would start a stream nobody reads; graphql-http answers the same way.
            await WriteResultAsync(http, NotExecutedStatus(mediaType), mediaType, new ExecutionResult
            {
                Errors = [errors.Create(TransportErrorCodes.BadRequest, "Subscriptions are served over WebSocket (graphql-transport-ws) on this endpoint.")],
                Executed = false,
            });
            return;
        }

        if (isGet && kind is { } other && other != OperationType.Query)
        {
            http.Response.Headers.Allow = "POST";
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, mediaType,
                $"A {other.ToString().ToLowerInvariant()} cannot be sent with GET; use POST.");
            return;
        }

        // One correlation id per GraphQL operation, carried into every message and event it causes.
        hooks.Starting(new GraphQLOperationStart(http.RequestServices, http.User, http.TraceIdentifier, WaitForRoom: null));

        var result = await hooks.ExecuteAsync(executer, new ExecutionOptions
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
            UnhandledExceptionDelegate = ExecutorFaults.Handle(errors, logger, http.TraceIdentifier),
            ValidationRules = documents.ValidationRulesFor(request.Query!, document, request.OperationName),
        }, document, logger, http.TraceIdentifier);
        documents.Record(request.Query!, document, request.OperationName, result);

        // The rate limits (Limits/OperationGate) refuse per root field: all refused is 429, some refused is a partial
        // result; either way the client learns when to come back.
        var retryAfter = LimitErrors.RetryAfterSeconds(result);
        if (retryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var code = result.Executed ? StatusCodes.Status200OK
            : retryAfter is not null ? StatusCodes.Status429TooManyRequests
            : NotExecutedStatus(mediaType);
        await WriteResultAsync(http, code, mediaType, result);
    }

    private static int NotExecutedStatus(string mediaType) =>
        mediaType == MediaTypes.GraphQLResponse ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;

    private (GraphQLRequest? Request, string? Problem, int Status) ReadQueryString(HttpRequest request)
    {
        var parsed = reader.FromQueryString(request.Query, out var problem);
        return (parsed, problem, StatusCodes.Status400BadRequest);
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

        // Read whole (at most `limit` bytes, however it is framed) before parsing: a parser fed from the socket could
        // be held open by a slow sender, and the size check must not depend on Content-Length being honest.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, $"The request body exceeds {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // Kestrel refused the body while we read it (BadHttpRequestException, or a plain IOException for a chunk
            // size that overflows): broken chunked framing, a client sending too slowly. A client mistake, not a fault.
            var status = (e as BadHttpRequestException)?.StatusCode ?? StatusCodes.Status400BadRequest;
            logger.LogDebug("GraphQL request {TraceId}: unreadable body ({Status})", http.TraceIdentifier, status);
            return (null, "The request body could not be read: " + ReasonOf(status), status);
        }

        var request = reader.FromBody(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), out var problem);
        return (request, problem, StatusCodes.Status400BadRequest);
    }

    private static OperationType? OperationKind(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
        return operation?.Operation;
    }

    private Task WriteErrorAsync(HttpContext http, int status, string mediaType, string message,
        string code = TransportErrorCodes.BadRequest) =>
        WriteResultAsync(http, status, mediaType,
            new ExecutionResult { Errors = [errors.Create(code, message)], Executed = false });

    /// <summary>
    /// Serializes into memory first: should serializing fail, nothing has been sent yet and the client still gets a
    /// clean 500 instead of half a body.
    /// </summary>
    private async Task WriteResultAsync(HttpContext http, int status, string mediaType, ExecutionResult result)
    {
        using var buffer = new MemoryStream();
        await serializer.WriteAsync(buffer, result, http.RequestAborted);
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        http.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    /// <summary>The last word after a failure: only if nothing has been sent yet, and never a second failure.</summary>
    private async Task TryWriteErrorAsync(HttpContext http, int status, ExecutionError error)
    {
        if (http.Response.HasStarted || http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            http.Response.Clear();
            await WriteResultAsync(http, status, MediaTypes.Negotiate(http.Request.Headers.Accept) ?? MediaTypes.Json,
                new ExecutionResult { Errors = [error], Executed = false });
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The connection is gone or already answered: nothing more to do.
        }
    }

    private static string ReasonOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "it is too large.",
        StatusCodes.Status408RequestTimeout => "it arrived too slowly.",
        _ => "its framing is malformed.",
    };
}
