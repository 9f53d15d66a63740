using System.Text.Json;
using EventStore.GraphQL.Transport.Requests;
using GraphQL;
using GraphQL.Transport;

namespace EventStore.GraphQL.Transport.WebSockets;

internal sealed partial class GraphQLWebSocketConnection
{
    /// <summary>
    /// Runs one `subscribe` in its own DI scope (the host's scoped services: a message bus, a database session), kept for as long as a
    /// subscription streams. Queries and mutations: one `next`, then `complete`; a document that does not validate:
    /// one `error` and nothing after it.
    /// </summary>
    private async Task RunAsync(Operation operation, GraphQLRequest request)
    {
        await Task.Yield(); // the receive loop goes on reading while this runs
        try
        {
            await using var scope = deps.Scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;

            // As over HTTP: one correlation id per operation, carried into every message and event it causes. The
            // operation's own id is the client's free text: it would be stored in clear in every event and integration
            // event, out of reach of an erasure, so the correlation id numbers the operations instead.
            var correlationId = $"{connectionId}:{operation.Number}";
            var start = new GraphQLOperationStart(services, user, correlationId, writer.WaitForRoomAsync);
            deps.Hooks.Starting(start);

            var documents = services.GetRequiredService<ParsedDocumentCache>();
            var (document, refusal) = await documents.ParseAsync(request.Query!, operation.Token);
            if (refusal is not null)
            {
                Finish(operation, ProtocolMessage.Error, ErrorsPayload(new ExecutionErrors { refusal }));
                return;
            }

            var result = await deps.Hooks.ExecuteAsync(deps.Executer, new ExecutionOptions
            {
                Query = request.Query,
                Document = document,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                User = user,
                UserContext = new GraphQLUserContext { ClientAddress = clientAddress },
                RequestServices = services,
                CancellationToken = operation.Token,
                UnhandledExceptionDelegate = ExecutorFaults.Handle(deps.Errors, deps.Logger, correlationId),
                ValidationRules = documents.ValidationRulesFor(request.Query!, document, request.OperationName),
            }, document, deps.Logger, correlationId);
            documents.Record(request.Query!, document, request.OperationName, result);

            if (!result.Executed)
            {
                Finish(operation, ProtocolMessage.Error, ErrorsPayload(result.Errors ?? []));
            }
            else if (result.Streams is { Count: > 0 } streams)
            {
                var quota = services.GetRequiredService<SubscriptionQuota>();
                var owner = deps.Hooks.SubscriptionOwner(start);
                if (!quota.TryAcquire(owner))
                {
                    Finish(operation, ProtocolMessage.Error, ErrorsPayload(new ExecutionErrors
                    {
                        deps.Errors.Create(TransportErrorCodes.RateLimited, "Too many live subscriptions for this user; complete some first."),
                    }));
                    return;
                }

                deps.Hooks.SubscriptionStarted();
                try
                {
                    await StreamAsync(operation, streams);
                }
                finally
                {
                    deps.Hooks.SubscriptionEnded();
                    quota.Release(owner);
                }
            }
            else
            {
                SendIfActive(operation, ProtocolMessage.Next, deps.Serializer.Serialize(result));
                Finish(operation, ProtocolMessage.Complete, null);
            }
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            // The client completed the operation, or the connection is closing: nothing more to say.
        }
        catch (Exception e)
        {
            var errorId = TransportErrorIds.New();
            deps.Logger.LogError(e, "GraphQL WebSocket {Connection}: operation {Operation} failed, error {ErrorId}",
                connectionId, operation.Number, errorId);
            writer.Close(CloseCodes.InternalServerError, "Internal server error " + errorId);
        }
        finally
        {
            lock (gate)
            {
                if (operations.TryGetValue(operation.Id, out var current) && current == operation)
                {
                    operations.Remove(operation.Id);
                }
            }

            operation.Dispose();
        }
    }

    private async Task StreamAsync(Operation operation, IDictionary<string, IObservable<ExecutionResult>> streams)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = streams.Count;
        var observer = new StreamObserver(
            onNext: result => SendIfActive(operation, ProtocolMessage.Next, deps.Serializer.Serialize(result)),
            onError: e =>
            {
                Finish(operation, ProtocolMessage.Error, ErrorsPayload(new ExecutionErrors { AsExecutionError(e) }));
                done.TrySetResult();
            },
            onCompleted: () =>
            {
                if (Interlocked.Decrement(ref open) == 0)
                {
                    Finish(operation, ProtocolMessage.Complete, null);
                    done.TrySetResult();
                }
            });

        var subscriptions = new List<IDisposable>();
        await using var cancelled = operation.Token.Register(() => done.TrySetResult());
        try
        {
            foreach (var stream in streams.Values)
            {
                subscriptions.Add(stream.Subscribe(observer));
            }

            await done.Task;
        }
        finally
        {
            subscriptions.ForEach(x => x.Dispose());
        }
    }

    private ExecutionError AsExecutionError(Exception e)
    {
        if (e is ExecutionError error)
        {
            return error;
        }

        if (deps.Errors.StreamFailure(e) is { } failure)
        {
            return failure;
        }

        var errorId = TransportErrorIds.New();
        deps.Logger.LogError(e, "GraphQL WebSocket {Connection}: a subscription stream failed, error {ErrorId}", connectionId, errorId);
        return deps.Errors.Internal(errorId);
    }

    /// <summary>Sends while the operation is still active: nothing follows its `complete` or `error`.</summary>
    private void SendIfActive(Operation operation, string type, string payload)
    {
        var message = ProtocolMessage.Write(type, operation.Id, payload);
        lock (gate)
        {
            if (operations.TryGetValue(operation.Id, out var current) && current == operation)
            {
                writer.Send(message);
            }
        }
    }

    /// <summary>Ends the operation with its last message, unless the client completed it first.</summary>
    private void Finish(Operation operation, string type, string? payload)
    {
        var message = ProtocolMessage.Write(type, operation.Id, payload);
        lock (gate)
        {
            if (operations.TryGetValue(operation.Id, out var current) && current == operation)
            {
                operations.Remove(operation.Id);
                writer.Send(message);
            }
        }
    }

    /// <summary>The `errors` array exactly as the HTTP transport shapes it (codes from the host's error info provider).</summary>
    private string ErrorsPayload(ExecutionErrors errors)
    {
        var json = deps.Serializer.Serialize(new ExecutionResult { Errors = errors, Executed = false });
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("errors", out var array) ? array.GetRawText() : "[]";
    }

    private sealed class StreamObserver(Action<ExecutionResult> onNext, Action<Exception> onError, Action onCompleted)
        : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => onNext(value);

        public void OnError(Exception error) => onError(error);

        public void OnCompleted() => onCompleted();
    }

    private sealed class Operation : IDisposable
    {
        private readonly CancellationTokenSource cancellation = new();

        public Operation(string id, int number)
        {
            Id = id;
            Number = number;
            Token = cancellation.Token;
        }

        public string Id { get; }

        /// <summary>1 for the connection's first operation, 2 for the next, ...</summary>
        public int Number { get; }

        public CancellationToken Token { get; }

        public Task Running { get; set; } = Task.CompletedTask;

        public void Cancel()
        {
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already finished.
            }
        }

        public void Dispose() => cancellation.Dispose();
    }
}
